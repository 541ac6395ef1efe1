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
    /// <summary>The pod's container statuses, init containers first (read once per object version).</summary>
    public static IReadOnlyList<ContainerStatus> Of(KubeObject pod) => pod.ContainerStatuses;

    /// <summary>Reads status.initContainerStatuses then status.containerStatuses of a pod's JSON.</summary>
    public static IReadOnlyList<ContainerStatus> Read(JsonElement pod)
    {
        var statuses = new List<ContainerStatus>();
        Read(pod, "initContainerStatuses", init: true, statuses);
        Read(pod, "containerStatuses", init: false, statuses);
        return statuses.Count == 0 ? [] : statuses.ToArray();
    }

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

    private static void Read(JsonElement pod, string field, bool init, List<ContainerStatus> statuses)
    {
        if (KubeJson.Get(pod, "status", field) is not { ValueKind: JsonValueKind.Array } array)
        {
            return;
        }

        foreach (var c in array.EnumerateArray())
        {
            var state = KubeJson.Get(c, "state");
            var last = KubeJson.Get(c, "lastState", "terminated");
            var waiting = state is { } s ? KubeJson.Get(s, "waiting") : null;
            var running = state is { } r ? KubeJson.Get(r, "running") : null;
            var terminated = state is { } t ? KubeJson.Get(t, "terminated") : null;
            statuses.Add(new ContainerStatus(
                KubeJson.Str(c, "name") ?? "?",
                init,
                KubeJson.Bool(c, "ready") ?? false,
                KubeJson.Long(c, "restartCount") ?? 0,
                waiting is { } w ? KubeJson.Str(w, "reason") ?? "Waiting" : null,
                waiting is { } wm ? KubeJson.Str(wm, "message") : null,
                running is not null,
                running is { } rs ? KubeJson.Time(rs, "startedAt") : null,
                terminated is { } tr ? KubeJson.Str(tr, "reason") : null,
                terminated is { } te ? KubeJson.Long(te, "exitCode") : null,
                last is { } lr ? KubeJson.Str(lr, "reason") : null,
                last is { } le ? KubeJson.Long(le, "exitCode") : null,
                last is { } lf ? KubeJson.Time(lf, "finishedAt") : null,
                last is { } lm ? KubeJson.Str(lm, "message") : null));
        }
    }
}
