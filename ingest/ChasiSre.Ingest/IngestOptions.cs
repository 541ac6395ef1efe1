using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest;

/// <summary>Ingest settings (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Ingest";

    /// <summary>Centralized (host agent) or distributed (inside one vCluster).</summary>
    public IngestMode Mode { get; set; } = IngestMode.Centralized;

    /// <summary>The watched cluster's name: the host's name (centralized) or the vCluster's name (distributed).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string ClusterName { get; set; } = "host";

    /// <summary>Distributed mode: the vCluster's tenant (defaults to the vCluster name).</summary>
    public string? Tenant { get; set; }

    /// <summary>Distributed mode: the host cluster's name.</summary>
    public string HostCluster { get; set; } = "host";

    /// <summary>Distributed mode: the host namespace the vCluster runs in.</summary>
    public string? HostNamespace { get; set; }

    /// <summary>Kubeconfig file; unset = <c>KUBECONFIG</c>, <c>~/.kube/config</c>, or the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig context; unset = the current context.</summary>
    public string? Context { get; set; }

    /// <summary>Centralized mode: find vClusters on the host and watch them.</summary>
    public bool DiscoverVClusters { get; set; } = true;

    /// <summary>How to reach a vCluster's API from the host agent; <c>{name}</c> and <c>{namespace}</c> are replaced.</summary>
    [Required]
    public string VClusterEndpointTemplate { get; set; } = "https://{name}.{namespace}:443";

    /// <summary>Per-vCluster endpoint overrides, keyed <c>hostNamespace/name</c>.</summary>
    public Dictionary<string, string> VClusterEndpoints { get; init; } = new(StringComparer.Ordinal);

    /// <summary>A host namespace pattern whose <c>tenant</c> group names the tenant (Sealos: <c>ns-&lt;user&gt;</c>); empty = none.</summary>
    public string TenantNamespacePattern { get; set; } = "^ns-(?<tenant>[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    /// <summary>Publish ConfigMap values (key names are always published; Secret values never).</summary>
    public bool IncludeConfigMapData { get; set; }

    /// <summary>Objects per list page.</summary>
    [Range(10, 10_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// How many objects of one list page a watcher normalizes and publishes at once; 0 = one per
    /// processor. Lists are when one watcher has many objects to hand over (a relist of the host's
    /// pods carries half the fleet); watch events are always handled in order.
    /// </summary>
    [Range(0, 64)]
    public int ListParallelism { get; set; }

    /// <summary>Server-side watch timeout (each watch picks a value in [t, 2t)).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline of a non-watch request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a failed list or watch.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often served resources are rediscovered (a CRD such as k8sgpt's Result installed later).</summary>
    public TimeSpan RediscoveryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A vCluster failing for this long is reported unreachable (a signal, never a crash).</summary>
    public TimeSpan UnreachableAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest object record; a bigger object is published without its JSON and dead-lettered (keep below the broker's message.max.bytes).</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 900 * 1024;

    /// <summary>Pod logs on trouble.</summary>
    [ValidateObjectMembers]
    public PodLogOptions Logs { get; init; } = new();

    internal WatchSettings WatchSettings => new(PageSize, WatchTimeout, MinBackoff, MaxBackoff, ListParallelism == 0 ? Environment.ProcessorCount : ListParallelism);
}
