using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Running pods that are not Ready while the kubelet reports Unhealthy (failing readiness, liveness or startup
/// probes). Containers in CrashLoopBackOff are left to <see cref="PodCrashLoopDetector"/>. One finding per workload.</summary>
public sealed class PodProbeFailureDetector : IDetector
{
    public string Name => "pod.probe-failure";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (KubeJson.Str(pod.Json, "status", "phase") != "Running"
            || KubeJson.Condition(pod.Json, "Ready") is not { } ready || KubeJson.Str(ready, "status") == "True")
        {
            return null;
        }

        var statuses = ContainerStatus.Of(pod);
        if (statuses.Any(c => c.WaitingReason == "CrashLoopBackOff"))
        {
            return null;
        }

        var unhealthy = EvidenceText.Warnings(state, pod.Ref, "Unhealthy").ToList();
        if (unhealthy.Count == 0)
        {
            return null;
        }

        var last = unhealthy[^1];
        var probe = last.Message.StartsWith("Liveness", StringComparison.OrdinalIgnoreCase) ? "liveness"
            : last.Message.StartsWith("Startup", StringComparison.OrdinalIgnoreCase) ? "startup" : "readiness";
        var evidence = new List<string> { PodFindings.StatusLine(pod) };
        evidence.AddRange(statuses.Where(s => !s.Ready).Select(s => s.Describe()).Take(2));
        evidence.AddRange(unhealthy.TakeLast(2).Select(EvidenceText.Event));
        return new PodProblem(IncidentCategory.ProbeFailure, Severity.Warning, "ProbeFailed", EvidenceText.Cut($"not ready, {probe} probe failing: {last.Message}"), evidence)
        {
            Attributes = { ["probe"] = probe },
        };
    }
}
