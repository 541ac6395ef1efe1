namespace ChasiSre.Ingest.Scenarios;

/// <summary>The closed list of incident categories of FORMAT.md.</summary>
public static class IncidentCategories
{
    public static IReadOnlyList<string> All { get; } =
    [
        "CrashLoop", "ImagePull", "OOMKilled", "Unschedulable", "ProbeFailure", "ConfigError",
        "Storage", "NetworkService", "DNS", "NodeFailure", "NodePressure", "RolloutStuck", "JobFailed",
        "QuotaExceeded", "AdmissionRejected", "VClusterSync", "VClusterControlPlane", "CertificateExpiry",
        "Autoscaling", "MetricAnomaly", "BusinessDegradation",
    ];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);
}
