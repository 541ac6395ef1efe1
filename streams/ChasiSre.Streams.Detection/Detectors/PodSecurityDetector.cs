using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Security checks on pods, per workload: privileged containers (Warning), the default ServiceAccount
/// with its token mounted, and no securityContext at all (Info). A posture check, not an outage: it is in
/// <see cref="DetectorCatalog.All"/> but not in <see cref="DetectorCatalog.Incidents"/>.</summary>
public sealed class PodSecurityDetector : IDetector
{
    public string Name => "security.pod";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var issues = new List<string>();
        var severity = Severity.Info;
        var containers = KubeJson.Items(pod.Json, "spec", "containers").Concat(KubeJson.Items(pod.Json, "spec", "initContainers")).ToList();
        var privileged = containers.Where(c => KubeJson.Bool(c, "securityContext", "privileged") == true).Select(c => KubeJson.Str(c, "name") ?? "?").ToList();
        if (privileged.Count > 0)
        {
            issues.Add($"privileged containers: {string.Join(", ", privileged)}");
            severity = Severity.Warning;
        }

        var serviceAccount = KubeJson.Str(pod.Json, "spec", "serviceAccountName");
        if ((serviceAccount is null or "" or "default") && KubeJson.Bool(pod.Json, "spec", "automountServiceAccountToken") != false)
        {
            issues.Add("runs as the default ServiceAccount with its token mounted");
        }

        if (!KubeJson.Has(pod.Json, "spec", "securityContext") && containers.All(c => !KubeJson.Has(c, "securityContext")))
        {
            issues.Add("no securityContext on the pod or its containers");
        }

        return issues.Count == 0 ? null : new PodProblem(IncidentCategory.ConfigError, severity, "SecurityPosture", string.Join("; ", issues), [PodFindings.StatusLine(pod), .. issues]);
    }
}
