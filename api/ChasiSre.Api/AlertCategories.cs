using ChasiSre.Streams.Detection;

namespace ChasiSre.Api;

/// <summary>
/// Incident categories of well-known Prometheus alerts (kubernetes-mixin, node-exporter, kube-prometheus), so an alert
/// joins the incident the detection topology opens for the same problem. Unknown alert names get no category: the
/// correlation decides. <see cref="AlertmanagerOptions.Categories"/> adds or overrides names; a <c>chasi_category</c>
/// label wins over both.
/// </summary>
public static class AlertCategories
{
    /// <summary>The built-in alertname → category table.</summary>
    public static IReadOnlyDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["KubePodCrashLooping"] = nameof(IncidentCategory.CrashLoop),
        ["KubePodNotReady"] = nameof(IncidentCategory.ProbeFailure),
        ["KubeContainerOOMKilled"] = nameof(IncidentCategory.OOMKilled),
        ["KubePodOOMKilled"] = nameof(IncidentCategory.OOMKilled),
        ["KubeDeploymentReplicasMismatch"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeDeploymentRolloutStuck"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeDeploymentGenerationMismatch"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeStatefulSetReplicasMismatch"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeStatefulSetGenerationMismatch"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeStatefulSetUpdateNotRolledOut"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeDaemonSetRolloutStuck"] = nameof(IncidentCategory.RolloutStuck),
        ["KubeDaemonSetNotScheduled"] = nameof(IncidentCategory.Unschedulable),
        ["KubeDaemonSetMisScheduled"] = nameof(IncidentCategory.Unschedulable),
        ["NodeNotReady"] = nameof(IncidentCategory.NodeFailure),
        ["KubeNodeNotReady"] = nameof(IncidentCategory.NodeFailure),
        ["KubeNodeUnreachable"] = nameof(IncidentCategory.NodeFailure),
        ["KubeNodeReadinessFlapping"] = nameof(IncidentCategory.NodeFailure),
        ["KubeNodePressure"] = nameof(IncidentCategory.NodePressure),
        ["KubeletTooManyPods"] = nameof(IncidentCategory.NodePressure),
        ["NodeFilesystemSpaceFillingUp"] = nameof(IncidentCategory.NodePressure),
        ["NodeFilesystemAlmostOutOfSpace"] = nameof(IncidentCategory.NodePressure),
        ["NodeFilesystemFilesFillingUp"] = nameof(IncidentCategory.NodePressure),
        ["NodeMemoryMajorPagesFaults"] = nameof(IncidentCategory.NodePressure),
        ["KubeMemoryOvercommit"] = nameof(IncidentCategory.NodePressure),
        ["KubeCPUOvercommit"] = nameof(IncidentCategory.NodePressure),
        ["KubeJobFailed"] = nameof(IncidentCategory.JobFailed),
        ["KubeJobNotCompleted"] = nameof(IncidentCategory.JobFailed),
        ["KubeJobCompletion"] = nameof(IncidentCategory.JobFailed),
        ["KubePersistentVolumeFillingUp"] = nameof(IncidentCategory.Storage),
        ["KubePersistentVolumeInodesFillingUp"] = nameof(IncidentCategory.Storage),
        ["KubePersistentVolumeErrors"] = nameof(IncidentCategory.Storage),
        ["CPUThrottlingHigh"] = nameof(IncidentCategory.MetricAnomaly),
        ["KubeQuotaExceeded"] = nameof(IncidentCategory.QuotaExceeded),
        ["KubeQuotaFullyUsed"] = nameof(IncidentCategory.QuotaExceeded),
        ["KubeHpaMaxedOut"] = nameof(IncidentCategory.Autoscaling),
        ["KubeHpaReplicasMismatch"] = nameof(IncidentCategory.Autoscaling),
        ["KubeClientCertificateExpiration"] = nameof(IncidentCategory.CertificateExpiry),
        ["KubeletClientCertificateExpiration"] = nameof(IncidentCategory.CertificateExpiry),
        ["KubeletServerCertificateExpiration"] = nameof(IncidentCategory.CertificateExpiry),
        ["CoreDNSDown"] = nameof(IncidentCategory.DNS),
        ["CoreDNSErrorsHigh"] = nameof(IncidentCategory.DNS),
    };

    /// <summary>Every incident category, in the detection topology's order.</summary>
    public static IReadOnlyList<string> Known { get; } = Enum.GetNames<IncidentCategory>();

    /// <summary>Whether <paramref name="category"/> is an incident category (exact, case-sensitive).</summary>
    public static bool IsCategory(string? category) => category is not null && Known.Contains(category, StringComparer.Ordinal);
}
