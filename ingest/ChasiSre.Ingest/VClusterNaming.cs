using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Ingest;

/// <summary>How vCluster's syncer names and marks the host side of virtual objects (loft-sh/vcluster v0.21+,
/// see VCLUSTER.md in the design notes). The scenario timeline generates twins with these; ingest watchers link twins with them.</summary>
public static class VClusterNaming
{
    /// <summary>Longest host object name; longer translated names are shortened with a hash.</summary>
    public const int MaxNameLength = 63;

    public const string ManagedByLabel = "vcluster.loft.sh/managed-by";
    public const string NamespaceLabel = "vcluster.loft.sh/namespace";
    public const string ControlledByLabel = "vcluster.loft.sh/controlled-by";
    public const string ControlledByValue = "vcluster";
    public const string FakeNodeLabel = "vcluster.loft.sh/fake-node";
    public const string ServiceLabel = "vcluster.loft.sh/service";

    /// <summary>Label <c>app=vcluster</c> of the control plane workload, its pods, Services and kubeconfig Secret.</summary>
    public const string AppLabel = "app";
    public const string AppLabelValue = "vcluster";

    /// <summary>Label carrying the vCluster name on the control plane workload (<c>release=&lt;name&gt;</c>).</summary>
    public const string ReleaseLabel = "release";

    /// <summary>Label carrying the vCluster name on the kubeconfig Secret.</summary>
    public const string VClusterNameLabel = "vcluster-name";
    public const string PausedAnnotation = "loft.sh/paused";

    public const string ObjectNameAnnotation = "vcluster.loft.sh/object-name";
    public const string ObjectNamespaceAnnotation = "vcluster.loft.sh/object-namespace";
    public const string ObjectUidAnnotation = "vcluster.loft.sh/object-uid";
    public const string ObjectKindAnnotation = "vcluster.loft.sh/object-kind";
    public const string ObjectHostNameAnnotation = "vcluster.loft.sh/object-host-name";
    public const string ObjectHostNamespaceAnnotation = "vcluster.loft.sh/object-host-namespace";

    public const string PodNameAnnotation = "vcluster.loft.sh/name";
    public const string PodNamespaceAnnotation = "vcluster.loft.sh/namespace";
    public const string PodUidAnnotation = "vcluster.loft.sh/uid";
    public const string PodLabelsAnnotation = "vcluster.loft.sh/labels";
    public const string PodServiceAccountNameAnnotation = "vcluster.loft.sh/service-account-name";
    public const string PodOwnerSetKindAnnotation = "vcluster.loft.sh/owner-set-kind";

    /// <summary>Init container (and emptyDir volume) the syncer adds to every host pod.</summary>
    public const string RewriteHostsContainerName = "vcluster-rewrite-hosts";

    /// <summary>Name of the syncer container of the control plane pod.</summary>
    public const string SyncerContainerName = "syncer";

    /// <summary>Kinds synced from a vCluster to the host by default.</summary>
    public static IReadOnlyList<string> SyncedKinds { get; } =
        ["Pod", "Service", "Endpoints", "EndpointSlice", "PersistentVolumeClaim", "ConfigMap", "Secret"];

    /// <summary>Host name of a namespaced virtual object: <c>&lt;name&gt;-x-&lt;namespace&gt;-x-&lt;vcluster&gt;</c>; above 63
    /// characters the first 52, '-', and the first 10 hex digits of the SHA-256 of the full name (then ".-" becomes "-",
    /// as vCluster's SafeConcatName does).</summary>
    public static string HostName(string name, string virtualNamespace, string vcluster)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(virtualNamespace);
        ArgumentException.ThrowIfNullOrEmpty(vcluster);
        var full = $"{name}-x-{virtualNamespace}-x-{vcluster}";
        if (full.Length <= MaxNameLength)
        {
            return full;
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        return (full[..52] + "-" + digest[..10]).Replace(".-", "-", StringComparison.Ordinal);
    }

    /// <summary>Value of <see cref="ObjectKindAnnotation"/>: the Go GroupVersionKind string, e.g. <c>/v1, Kind=Pod</c>
    /// or <c>discovery.k8s.io/v1, Kind=EndpointSlice</c>.</summary>
    public static string KindAnnotationValue(string apiVersion, string kind) =>
        apiVersion.Contains('/', StringComparison.Ordinal) ? $"{apiVersion}, Kind={kind}" : $"/{apiVersion}, Kind={kind}";

    /// <summary>Value of <see cref="PodLabelsAnnotation"/>: the virtual pod's labels as sorted <c>key="value"</c> lines.</summary>
    public static string LabelsAnnotationValue(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join("\n", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));

    /// <summary>The kubeconfig Secret <c>vc-&lt;name&gt;</c>.</summary>
    public static string KubeconfigSecretName(string vcluster) => "vc-" + vcluster;

    /// <summary>The vcluster.yaml Secret <c>vc-config-&lt;name&gt;</c> (key <c>config.yaml</c>).</summary>
    public static string ConfigSecretName(string vcluster) => "vc-config-" + vcluster;

    /// <summary>The ServiceAccount host pods run as: <c>vc-workload-&lt;name&gt;</c>.</summary>
    public static string WorkloadServiceAccountName(string vcluster) => "vc-workload-" + vcluster;

    /// <summary>The headless Service of a StatefulSet control plane.</summary>
    public static string HeadlessServiceName(string vcluster) => vcluster + "-headless";
}
