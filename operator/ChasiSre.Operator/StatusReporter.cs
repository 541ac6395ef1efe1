using System.Globalization;
using System.Text.Json.Nodes;

namespace ChasiSre.Operator;

/// <summary>
/// Writes a <see cref="ReconcileOutcome"/> into a resource's status (<c>observedGeneration</c>, the <c>Valid</c> and
/// <c>Ready</c> conditions with reason, message and observedGeneration, and the kind's fields), keeping a condition's
/// <c>lastTransitionTime</c> while its status stays the same, and records an Event when a condition changes
/// (<c>Warning</c> when it turned False).
/// </summary>
public sealed class StatusReporter(KubeObjectClient kube, TimeProvider timeProvider)
{
    public async Task ReportAsync(JsonObject resource, ReconcileOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(outcome);
        var metadata = resource["metadata"]!;
        var kind = resource["kind"]!.GetValue<string>();
        var generation = metadata["generation"]?.GetValue<long>() ?? 0;
        var previous = (resource["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var now = timeProvider.GetUtcNow();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var changes = new List<(string Type, bool Status, string Reason, string Message)>();
        JsonObject Condition(string type, bool status, string reason, string message)
        {
            var before = previous.FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
            var statusText = status ? "True" : "False";
            var same = before?["status"]?.GetValue<string>() == statusText;
            if (!same || before?["reason"]?.GetValue<string>() != reason || before?["message"]?.GetValue<string>() != message)
            {
                changes.Add((type, status, reason, message));
            }

            return new JsonObject
            {
                ["type"] = type,
                ["status"] = statusText,
                ["reason"] = reason,
                ["message"] = message.Length > 32768 ? message[..32765] + "..." : message,
                ["lastTransitionTime"] = same ? before!["lastTransitionTime"]?.GetValue<string>() ?? stamp : stamp,
                ["observedGeneration"] = generation,
            };
        }

        var status = outcome.Status.DeepClone().AsObject();
        status["observedGeneration"] = generation;
        status["conditions"] = new JsonArray(
            Condition(ChasiResources.ValidCondition, outcome.Valid, outcome.ValidReason, outcome.ValidMessage),
            Condition(ChasiResources.ReadyCondition, outcome.Ready, outcome.ReadyReason, outcome.ReadyMessage));
        var ns = metadata["namespace"]!.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        if (await kube.PatchStatusAsync(kind, ns, name, status, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        foreach (var (type, ok, reason, message) in changes)
        {
            await kube.EventAsync(resource, ok ? "Normal" : "Warning", reason, $"{type}={(ok ? "True" : "False")}: {message}", now, cancellationToken).ConfigureAwait(false);
        }
    }
}
