using System.Globalization;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// Containers (init containers too) in CrashLoopBackOff, or terminated with a non-zero exit code, reported once per
/// workload with the last termination (OOMKilled makes it an <see cref="IncidentCategory.OOMKilled"/> finding), the
/// BackOff events and the decisive lines of the crashed instance's log. Job pods are left to <see cref="JobFailureDetector"/>,
/// evicted pods to <see cref="PodEvictionDetector"/>.
/// </summary>
public sealed class PodCrashLoopDetector : IDetector
{
    public string Name => "pod.crashloop";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    internal static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (PodFindings.IsJobPod(pod) || KubeJson.Str(pod.Json, "status", "reason") == "Evicted")
        {
            return null;
        }

        var failing = ContainerStatus.Of(pod).FirstOrDefault(c =>
            c.WaitingReason == "CrashLoopBackOff"
            || (c.TerminatedExitCode is { } code && code != 0 && c.TerminatedReason != "ContainerStatusUnknown"));
        if (failing is null)
        {
            return null;
        }

        var oom = failing.LastTerminatedReason == "OOMKilled" || failing.TerminatedReason == "OOMKilled";
        var crashLooping = failing.WaitingReason == "CrashLoopBackOff";
        var exit = failing.LastExitCode ?? failing.TerminatedExitCode;
        var evidence = new List<string> { PodFindings.StatusLine(pod), failing.Describe() };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 2, "BackOff", "Failed", "OOMKilling"));
        evidence.AddRange(EvidenceText.DecisiveLogLines(state, pod.Ref, failing.Name, preferPrevious: crashLooping));
        var what = crashLooping ? "CrashLoopBackOff" : "terminated with an error";
        var summary = $"{(failing.Init ? "init container" : "container")} {failing.Name} {what}"
            + (exit is null ? "" : $", last exit {exit.Value.ToString(CultureInfo.InvariantCulture)}{(oom ? " (OOMKilled)" : "")}")
            + $", {failing.RestartCount} restarts";
        return new PodProblem(
            oom ? IncidentCategory.OOMKilled : IncidentCategory.CrashLoop,
            Severity.Error,
            oom ? "OOMKilled" : crashLooping ? "CrashLoopBackOff" : "ContainerFailed",
            summary,
            evidence)
        {
            Attributes =
            {
                ["container"] = failing.Name,
                ["restartCount"] = failing.RestartCount.ToString(CultureInfo.InvariantCulture),
                ["exitCode"] = exit?.ToString(CultureInfo.InvariantCulture) ?? "",
                ["lastTerminationReason"] = failing.LastTerminatedReason ?? failing.TerminatedReason ?? "",
            },
        };
    }
}
