using System.Text.Json;

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
    public static IReadOnlyList<PodTrouble> Find(JsonElement pod)
    {
        var found = new List<PodTrouble>();
        var status = pod.Get("status");
        var phase = status.Text("phase");
        foreach (var field in (string[])["initContainerStatuses", "containerStatuses"])
        {
            foreach (var container in status.Get(field).Items())
            {
                var name = container.Text("name");
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                JsonElement? entry = container;
                var restarts = entry.Get("restartCount").Int() ?? 0;
                var state = entry.Get("state");
                var last = entry.Get("lastState").Get("terminated");
                var waitingReason = state.Get("waiting").Text("reason");
                var terminated = state.Get("terminated");
                var ready = entry.Get("ready").Bool() ?? false;

                if (terminated is not null && (terminated.Get("exitCode").Int() ?? 0) != 0)
                {
                    found.Add(new PodTrouble(name, false, restarts, terminated.Text("reason") ?? "Error"));
                }
                else if (state.Get("running") is not null && !ready && phase == "Running" && field == "containerStatuses")
                {
                    found.Add(new PodTrouble(name, false, restarts, "NotReady"));
                }

                if (last is not null && ((last.Get("exitCode").Int() ?? 0) != 0 || last.Text("reason") == "OOMKilled"))
                {
                    found.Add(new PodTrouble(name, true, restarts, waitingReason == "CrashLoopBackOff" ? "CrashLoopBackOff" : last.Text("reason") ?? "Error"));
                }
            }
        }

        return found;
    }
}
