using System.Text.Json;

namespace ChasiSre.Streams.Detection;

/// <summary>One entry of a pod's status.containerStatuses or initContainerStatuses, read tolerantly.</summary>
internal sealed record ContainerStatus(
    string Name,
    bool Init,
    bool Ready,
    long RestartCount,
    string? WaitingReason,
    string? WaitingMessage,
    bool Running,
    DateTimeOffset? RunningSince,
    string? TerminatedReason,
    long? TerminatedExitCode,
    string? LastTerminatedReason,
    long? LastExitCode,
    DateTimeOffset? LastFinishedAt,
    string? LastMessage)
{
    public static IReadOnlyList<ContainerStatus> Of(KubeObject pod) =>
        [.. Read(pod.Json, "initContainerStatuses", init: true), .. Read(pod.Json, "containerStatuses", init: false)];

    /// <summary><c>container app: waiting CrashLoopBackOff (back-off ...), restarts 6, last terminated Error exit 1 at ...</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        var state = WaitingReason is not null ? $"waiting {WaitingReason}{(string.IsNullOrEmpty(WaitingMessage) ? "" : $" ({WaitingMessage})")}"
            : TerminatedReason is not null || TerminatedExitCode is not null ? $"terminated {TerminatedReason ?? "?"} exit {TerminatedExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}"
            : Running ? (Ready ? "running, ready" : "running, not ready")
            : "state unknown";
        parts.Add(state);
        parts.Add($"restarts {RestartCount}");
        if (LastTerminatedReason is not null || LastExitCode is not null)
        {
            parts.Add($"last terminated {LastTerminatedReason ?? "?"} exit {LastExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} at {KubeJson.Stamp(LastFinishedAt)}"
                + (string.IsNullOrWhiteSpace(LastMessage) ? "" : $" ({LastMessage})"));
        }

        return $"{(Init ? "init container" : "container")} {Name}: {string.Join(", ", parts)}";
    }

    private static IEnumerable<ContainerStatus> Read(JsonElement pod, string field, bool init) =>
        KubeJson.Items(pod, "status", field).Select(c => new ContainerStatus(
            KubeJson.Str(c, "name") ?? "?",
            init,
            KubeJson.Bool(c, "ready") ?? false,
            KubeJson.Long(c, "restartCount") ?? 0,
            KubeJson.Str(c, "state", "waiting", "reason") ?? (KubeJson.Has(c, "state", "waiting") ? "Waiting" : null),
            KubeJson.Str(c, "state", "waiting", "message"),
            KubeJson.Has(c, "state", "running"),
            KubeJson.Time(c, "state", "running", "startedAt"),
            KubeJson.Str(c, "state", "terminated", "reason"),
            KubeJson.Long(c, "state", "terminated", "exitCode"),
            KubeJson.Str(c, "lastState", "terminated", "reason"),
            KubeJson.Long(c, "lastState", "terminated", "exitCode"),
            KubeJson.Time(c, "lastState", "terminated", "finishedAt"),
            KubeJson.Str(c, "lastState", "terminated", "message")));
}
