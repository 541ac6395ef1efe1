using System.Text.RegularExpressions;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Executor;

/// <summary>
/// Publishes a person's decision about an action (approve, reject, roll back) on <c>chasi.actions.v1</c>, keyed by the
/// action id, as a request the executor answers: sequence 0, the phase of the decision, actor <c>user:&lt;name&gt;</c>.
/// The executor acts only when the transition is valid (<see cref="ActionTransitions.CheckRequest"/>) and audits a
/// refusal otherwise. Used by the API and the CLI.
/// </summary>
public sealed partial class ActionDecisions(RecordProducer<ActionRecord> producer, TimeProvider? time = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <summary>True for <c>user:&lt;name&gt;</c> with a name of 1-128 letters, digits, <c>.</c>, <c>_</c>, <c>@</c> or <c>-</c>.</summary>
    public static bool IsPersonActor(string actor) => PersonActor().IsMatch(actor ?? "");

    /// <summary>The request record for <paramref name="decision"/> (not yet published).</summary>
    public ActionRecord Request(string actionId, HumanDecision decision, string actor, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(actionId);
        if (!IsPersonActor(actor))
        {
            throw new ArgumentException($"'{actor}' is not a person: decisions are published as user:<name>", nameof(actor));
        }

        return new ActionRecord
        {
            ActionId = actionId,
            Phase = ActionTransitions.PhaseOf(decision),
            Actor = actor,
            Reason = reason ?? "",
            At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            Sequence = 0,
        };
    }

    /// <summary>Publishes the decision and waits for the broker's acknowledgement.</summary>
    public async Task<ActionRecord> PublishAsync(string actionId, HumanDecision decision, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var record = Request(actionId, decision, actor, reason);
        await producer.ProduceAsync(TopicCatalog.Actions, actionId, record, cancellationToken);
        return record;
    }

    [GeneratedRegex("^user:[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex PersonActor();
}
