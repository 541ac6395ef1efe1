using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pending pods the scheduler cannot place (PodScheduled=False, reason Unschedulable, with its message and the
/// FailedScheduling events) and pods held by scheduling gates. One finding per workload.</summary>
public sealed class PodUnschedulableDetector : IDetector
{
    public string Name => "pod.unschedulable";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (KubeJson.Str(pod.Json, "status", "phase") != "Pending")
        {
            return null;
        }

        var scheduled = KubeJson.Condition(pod.Json, "PodScheduled");
        var reason = scheduled is { } c && KubeJson.Str(c, "status") == "False" ? KubeJson.Str(c, "reason") : null;
        var gates = KubeJson.Items(pod.Json, "spec", "schedulingGates").Select(g => KubeJson.Str(g, "name")).OfType<string>().ToList();
        if (reason == "SchedulingGated" || (reason is null && gates.Count > 0 && scheduled is null))
        {
            return new PodProblem(IncidentCategory.Unschedulable, Severity.Info, "SchedulingGated",
                $"held by scheduling gates {string.Join(", ", gates)}",
                [PodFindings.StatusLine(pod), $"scheduling gates: {EvidenceText.List(gates)}"]);
        }

        if (reason != "Unschedulable")
        {
            return null;
        }

        var message = KubeJson.Str(scheduled!.Value, "message") ?? "";
        var evidence = new List<string> { PodFindings.StatusLine(pod), EvidenceText.Cut($"condition PodScheduled=False Unschedulable since {KubeJson.Stamp(KubeJson.Time(scheduled.Value, "lastTransitionTime"))}: {message}") };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 2, "FailedScheduling"));
        return new PodProblem(IncidentCategory.Unschedulable, Severity.Error, "Unschedulable", EvidenceText.Cut($"cannot be scheduled: {message}"), evidence);
    }
}
