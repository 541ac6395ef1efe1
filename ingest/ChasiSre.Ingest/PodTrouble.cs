using System.Text.Json.Nodes;

namespace ChasiSre.Ingest;

/// <summary>A container whose log is worth fetching, and which log.</summary>
/// <param name="Container">Container name.</param>
/// <param name="Previous">True for the previous (crashed) instance's log.</param>
/// <param name="RestartCount">The container's restart count when seen.</param>
/// <param name="Reason">Why: CrashLoopBackOff, OOMKilled, Error (exit code), NotReady.</param>
public sealed record PodTrouble(string Container, bool Previous, int RestartCount, string Reason)
{
    /// <summary>
    /// The logs to fetch for a pod: containers (init containers too) waiting in CrashLoopBackOff,
    /// terminated with a non-zero exit code, whose last run was OOMKilled or failed, or running
    /// but not ready.
    /// </summary>
    public static IReadOnlyList<PodTrouble> Find(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var found = new List<PodTrouble>();
        var status = pod["status"] as JsonObject;
        var phase = status?["phase"]?.GetValue<string>();
        foreach (var field in (string[])["initContainerStatuses", "containerStatuses"])
        {
            if (status?[field] is not JsonArray statuses)
            {
                continue;
            }

            foreach (var container in statuses.OfType<JsonObject>())
            {
                var name = container["name"]?.GetValue<string>();
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                var restarts = container["restartCount"] is JsonValue r && r.TryGetValue<int>(out var count) ? count : 0;
                var state = container["state"] as JsonObject;
                var last = container["lastState"]?["terminated"] as JsonObject;
                var waitingReason = state?["waiting"]?["reason"]?.GetValue<string>();
                var terminated = state?["terminated"] as JsonObject;
                var ready = container["ready"] is JsonValue rv && rv.TryGetValue<bool>(out var isReady) && isReady;

                if (terminated is not null && ExitCode(terminated) != 0)
                {
                    found.Add(new PodTrouble(name, false, restarts, terminated["reason"]?.GetValue<string>() ?? "Error"));
                }
                else if (state?["running"] is not null && !ready && phase == "Running" && field == "containerStatuses")
                {
                    found.Add(new PodTrouble(name, false, restarts, "NotReady"));
                }

                if (last is not null && (ExitCode(last) != 0 || last["reason"]?.GetValue<string>() == "OOMKilled"))
                {
                    found.Add(new PodTrouble(name, true, restarts, waitingReason == "CrashLoopBackOff" ? "CrashLoopBackOff" : last["reason"]?.GetValue<string>() ?? "Error"));
                }
            }
        }

        return found;
    }

    private static int ExitCode(JsonObject terminated) =>
        terminated["exitCode"] is JsonValue value && value.TryGetValue<int>(out var code) ? code : 0;
}
