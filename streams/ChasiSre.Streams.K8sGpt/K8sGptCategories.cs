using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// Maps a k8sgpt result (kind + error texts) to an incident category, reason and severity. Text
/// rules are tried first, in order, over every error text; the first that matches wins. When none
/// does, the kind decides. The table is documented in the README; keep the two in step.
/// </summary>
public static partial class K8sGptCategories
{
    private static readonly TextRule[] TextRules =
    [
        // Image pulls first: "Back-off pulling image" is a back-off too, and not a crash loop.
        new(null, ImagePullPattern(), IncidentCategory.ImagePull, "ImagePull"),
        new(null, OomPattern(), IncidentCategory.OOMKilled, "OOMKilled"),
        new(null, CertificatePattern(), IncidentCategory.CertificateExpiry, "CertificateExpired"),
        new(null, QuotaPattern(), IncidentCategory.QuotaExceeded, "QuotaExceeded"),
        new(null, AdmissionPattern(), IncidentCategory.AdmissionRejected, "AdmissionDenied"),
        new(null, DnsPattern(), IncidentCategory.DNS, "DnsFailure"),
        new(null, ConfigPattern(), IncidentCategory.ConfigError, "ConfigMissing"),
        new(null, VolumePattern(), IncidentCategory.Storage, "VolumeProblem"),
        new("Pod", BackOffPattern(), IncidentCategory.CrashLoop, "CrashLoopBackOff"),
        new("Pod", SchedulingPattern(), IncidentCategory.Unschedulable, "Unschedulable"),
        new("Pod", ProbePattern(), IncidentCategory.ProbeFailure, "ProbeFailed"),
        new("Pod", EvictedPattern(), IncidentCategory.NodePressure, "Evicted"),
        new("Node", PressurePattern(), IncidentCategory.NodePressure, "NodePressure"),
        new("Service", EndpointsPattern(), IncidentCategory.NetworkService, "NoEndpoints"),
    ];

    private static readonly Dictionary<string, KindInfo> KindTable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Pod"] = new("Pod", "v1", IncidentCategory.CrashLoop),
        ["Log"] = new("Pod", "v1", IncidentCategory.MetricAnomaly),
        ["Deployment"] = new("Deployment", "apps/v1", IncidentCategory.RolloutStuck),
        ["ReplicaSet"] = new("ReplicaSet", "apps/v1", IncidentCategory.RolloutStuck),
        ["StatefulSet"] = new("StatefulSet", "apps/v1", IncidentCategory.RolloutStuck),
        ["DaemonSet"] = new("DaemonSet", "apps/v1", IncidentCategory.RolloutStuck),
        ["PodDisruptionBudget"] = new("PodDisruptionBudget", "policy/v1", IncidentCategory.RolloutStuck),
        ["Job"] = new("Job", "batch/v1", IncidentCategory.JobFailed),
        ["CronJob"] = new("CronJob", "batch/v1", IncidentCategory.JobFailed),
        ["Service"] = new("Service", "v1", IncidentCategory.NetworkService),
        ["Endpoints"] = new("Endpoints", "v1", IncidentCategory.NetworkService),
        ["Ingress"] = new("Ingress", "networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["IngressClass"] = new("IngressClass", "networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["NetworkPolicy"] = new("NetworkPolicy", "networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["Gateway"] = new("Gateway", "gateway.networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["GatewayClass"] = new("GatewayClass", "gateway.networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["HTTPRoute"] = new("HTTPRoute", "gateway.networking.k8s.io/v1", IncidentCategory.NetworkService),
        ["PersistentVolumeClaim"] = new("PersistentVolumeClaim", "v1", IncidentCategory.Storage),
        ["PersistentVolume"] = new("PersistentVolume", "v1", IncidentCategory.Storage),
        ["StorageClass"] = new("StorageClass", "storage.k8s.io/v1", IncidentCategory.Storage),
        ["VolumeAttachment"] = new("VolumeAttachment", "storage.k8s.io/v1", IncidentCategory.Storage),
        ["Node"] = new("Node", "v1", IncidentCategory.NodeFailure),
        ["HorizontalPodAutoscaler"] = new("HorizontalPodAutoscaler", "autoscaling/v2", IncidentCategory.Autoscaling),
        ["HorizontalPodAutoScaler"] = new("HorizontalPodAutoscaler", "autoscaling/v2", IncidentCategory.Autoscaling),
        ["MutatingWebhookConfiguration"] = new("MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", IncidentCategory.AdmissionRejected),
        ["ValidatingWebhookConfiguration"] = new("ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", IncidentCategory.AdmissionRejected),
        ["ConfigMap"] = new("ConfigMap", "v1", IncidentCategory.ConfigError),
        ["Secret"] = new("Secret", "v1", IncidentCategory.ConfigError),
        ["ServiceAccount"] = new("ServiceAccount", "v1", IncidentCategory.ConfigError),
        ["ResourceQuota"] = new("ResourceQuota", "v1", IncidentCategory.QuotaExceeded),
        ["LimitRange"] = new("LimitRange", "v1", IncidentCategory.QuotaExceeded),
        ["Certificate"] = new("Certificate", "cert-manager.io/v1", IncidentCategory.CertificateExpiry),
    };

    /// <summary>Classifies a result by its kind and (unmasked or masked) error texts.</summary>
    public static K8sGptClassification Classify(string kind, IEnumerable<string> errorTexts)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(errorTexts);
        var info = KindTable.TryGetValue(kind, out var known) ? known : new KindInfo(kind, "", IncidentCategory.ConfigError);
        var texts = errorTexts.ToList();
        foreach (var rule in TextRules)
        {
            if ((rule.Kind is null || string.Equals(rule.Kind, info.Kind, StringComparison.Ordinal)) && texts.Exists(rule.Pattern.IsMatch))
            {
                return new K8sGptClassification(info.Kind, info.ApiVersion, rule.Category, rule.Reason, SeverityOf(rule.Category));
            }
        }

        var reason = info.Kind.Length == 0 ? "K8sGptProblem" : $"{info.Kind}Problem";
        return new K8sGptClassification(info.Kind, info.ApiVersion, info.Fallback, reason, SeverityOf(info.Fallback));
    }

    /// <summary>Warnings for categories that degrade without breaking (probes, pressure, autoscaling, anomalies); errors otherwise.</summary>
    public static Severity SeverityOf(IncidentCategory category) => category switch
    {
        IncidentCategory.ProbeFailure or IncidentCategory.NodePressure or IncidentCategory.Autoscaling or IncidentCategory.MetricAnomaly => Severity.Warning,
        _ => Severity.Error,
    };

    [GeneratedRegex(@"ImagePullBackOff|ErrImagePull|ErrImageNeverPull|InvalidImageName|pull(ing)? image|pull access denied|manifest unknown|image .* not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImagePullPattern();

    [GeneratedRegex(@"OOMKilled|out of memory", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OomPattern();

    [GeneratedRegex(@"x509|certificate has expired|certificate .*(expired|not yet valid)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CertificatePattern();

    [GeneratedRegex(@"exceeded quota|LimitRange|must specify limits", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotaPattern();

    [GeneratedRegex(@"violates PodSecurity|admission webhook .* denied|denied the request", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AdmissionPattern();

    [GeneratedRegex(@"no such host|server misbehaving|SERVFAIL|name resolution|lookup \S+ on \S+:53", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DnsPattern();

    [GeneratedRegex(@"CreateContainerConfigError|(configmap|secret) ""?[\w.-]*""? not found|couldn't find key", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConfigPattern();

    [GeneratedRegex(@"MountVolume|FailedMount|FailedAttachVolume|unbound immediate PersistentVolumeClaims|persistentvolumeclaim ""?[\w.-]*""? not found|ProvisioningFailed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolumePattern();

    [GeneratedRegex(@"back-?off|CrashLoopBackOff|last termination reason|exit code [1-9]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BackOffPattern();

    [GeneratedRegex(@"FailedScheduling|Unschedulable|nodes are available|untolerated taint|didn't match Pod's node affinity", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchedulingPattern();

    [GeneratedRegex(@"(readiness|liveness|startup) probe", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProbePattern();

    [GeneratedRegex(@"\bEvicted\b|was evicted|The node was low on resource", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EvictedPattern();

    [GeneratedRegex(@"MemoryPressure|DiskPressure|PIDPressure", RegexOptions.CultureInvariant)]
    private static partial Regex PressurePattern();

    [GeneratedRegex(@"no endpoints|not ready endpoints|endpoints? (are |is )?not ready", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EndpointsPattern();

    private sealed record TextRule(string? Kind, Regex Pattern, IncidentCategory Category, string Reason);

    private sealed record KindInfo(string Kind, string ApiVersion, IncidentCategory Fallback);
}
