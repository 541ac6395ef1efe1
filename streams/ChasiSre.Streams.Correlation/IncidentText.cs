using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation;

/// <summary>The one-line summary and the title of an incident.</summary>
internal static class IncidentText
{
    private const int MaxSummary = 300;

    private static readonly HashSet<string> WorkloadKinds = new(
        ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"], StringComparer.Ordinal);

    /// <summary>"checkout in team-a/shop crashloops: DEPLOY_ENV is not set".</summary>
    public static string Summary(ObjectRef subject, IncidentCategory category, int tenants, Finding? top)
    {
        var message = top is null ? "" : top.Message.Length > 0 ? top.Message : top.Reason;
        if (top is not null && SameObject(top.Subject, subject))
        {
            // Detectors start their message with the subject ("Deployment shop/checkout: ..."); the summary already names it.
            var prefix = $"{subject.Kind} {(subject.Namespace.Length > 0 ? $"{subject.Namespace}/" : "")}{subject.Name}: ";
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                message = message[prefix.Length..];
            }
        }

        var line = string.Join(' ', message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var text = $"{Display(subject)}{(tenants > 1 ? $" ({tenants} tenants)" : "")} {Phrase(category)}";
        text = line.Length > 0 ? $"{text}: {line}" : text;
        return text.Length <= MaxSummary ? text : string.Concat(text.AsSpan(0, MaxSummary - 1), "…");
    }

    /// <summary>"CrashLoop: checkout in team-a/shop".</summary>
    public static string Title(ObjectRef subject, IncidentCategory category) => $"{category}: {Display(subject)}";

    /// <summary>How an object is named in a sentence.</summary>
    public static string Display(ObjectRef reference) => reference switch
    {
        { Kind: "BusinessAdapter" } => $"adapter {reference.Name} of {reference.Cluster}",
        _ when WorkloadKinds.Contains(reference.Kind) && reference.Namespace.Length > 0 => $"{reference.Name} in {reference.Cluster}/{reference.Namespace}",
        _ when reference.Namespace.Length > 0 => $"{reference.Kind} {reference.Name} in {reference.Cluster}/{reference.Namespace}",
        _ => $"{reference.Kind} {reference.Name}",
    };

    private static bool SameObject(ObjectRef a, ObjectRef b) =>
        a.Cluster == b.Cluster && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name;

    private static string Phrase(IncidentCategory category) => category switch
    {
        IncidentCategory.CrashLoop => "crashloops",
        IncidentCategory.ImagePull => "cannot pull its image",
        IncidentCategory.OOMKilled => "is OOM-killed",
        IncidentCategory.Unschedulable => "cannot be scheduled",
        IncidentCategory.ProbeFailure => "fails its probes",
        IncidentCategory.ConfigError => "has a configuration error",
        IncidentCategory.Storage => "has a storage problem",
        IncidentCategory.NetworkService => "has a service or network problem",
        IncidentCategory.DNS => "fails name resolution",
        IncidentCategory.NodeFailure => "is failing",
        IncidentCategory.NodePressure => "is under resource pressure",
        IncidentCategory.RolloutStuck => "has a stuck rollout",
        IncidentCategory.JobFailed => "has failing jobs",
        IncidentCategory.QuotaExceeded => "is blocked by a quota",
        IncidentCategory.AdmissionRejected => "is rejected by admission",
        IncidentCategory.VClusterSync => "fails to sync between vCluster and host",
        IncidentCategory.VClusterControlPlane => "has an unhealthy vCluster control plane",
        IncidentCategory.CertificateExpiry => "has an expiring or expired certificate",
        IncidentCategory.Autoscaling => "cannot autoscale",
        IncidentCategory.MetricAnomaly => "shows a metric anomaly",
        IncidentCategory.BusinessDegradation => "reports degradation",
        _ => "has a problem",
    };
}
