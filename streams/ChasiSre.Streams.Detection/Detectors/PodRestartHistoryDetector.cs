using System.Globalization;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// What k8sgpt ignores: containers that are running now but were OOMKilled recently (lastState.terminated.reason
/// OOMKilled within <see cref="RecentWindow"/>), or restart often (at least <see cref="MinRestarts"/> restarts at more than
/// <see cref="MaxRestartsPerHour"/> an hour since the pod started, the last one recent). One finding per workload.
/// </summary>
public sealed class PodRestartHistoryDetector : IDetector
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(1);
    public const int MinRestarts = 3;
    public const double MaxRestartsPerHour = 2;

    public string Name => "pod.restart-history";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var now = state.Now;
        foreach (var container in ContainerStatus.Of(pod).Where(c => c.Running && c.WaitingReason is null))
        {
            var recent = container.LastFinishedAt is { } finished && now - finished <= RecentWindow;
            if (container.LastTerminatedReason == "OOMKilled" && recent)
            {
                return Problem(pod, state, container, IncidentCategory.OOMKilled, "OOMKilledRecently",
                    $"container {container.Name} was OOMKilled at {KubeJson.Stamp(container.LastFinishedAt)} and is running again ({container.RestartCount} restarts)");
            }

            var started = KubeJson.Time(pod.Json, "status", "startTime") ?? KubeJson.Time(pod.Json, "metadata", "creationTimestamp");
            if (container.RestartCount >= MinRestarts && recent && started is { } since)
            {
                var hours = Math.Max((now - since).TotalHours, 1.0 / 60);
                var rate = container.RestartCount / hours;
                if (rate > MaxRestartsPerHour)
                {
                    return Problem(pod, state, container, IncidentCategory.CrashLoop, "FrequentRestarts",
                        $"container {container.Name} restarted {container.RestartCount} times ({rate.ToString("0.#", CultureInfo.InvariantCulture)}/h), last exit {container.LastExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} {container.LastTerminatedReason}");
                }
            }
        }

        return null;
    }

    private static PodProblem Problem(KubeObject pod, IClusterState state, ContainerStatus container, IncidentCategory category, string reason, string summary)
    {
        var evidence = new List<string> { PodFindings.StatusLine(pod), container.Describe() };
        evidence.AddRange(EvidenceText.DecisiveLogLines(state, pod.Ref, container.Name, preferPrevious: true, max: 3));
        return new PodProblem(category, Severity.Warning, reason, summary, evidence)
        {
            Attributes =
            {
                ["container"] = container.Name,
                ["restartCount"] = container.RestartCount.ToString(CultureInfo.InvariantCulture),
                ["lastTerminationReason"] = container.LastTerminatedReason ?? "",
            },
        };
    }
}
