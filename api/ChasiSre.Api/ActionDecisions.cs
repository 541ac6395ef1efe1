using System.Collections.Concurrent;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Api;

/// <summary>
/// Turns a person's approve, reject or rollback into an <c>ActionRecord</c> on <c>chasi.actions.v1</c>, after checking
/// it against the action's latest phase (<see cref="ActionTransitions"/>). The record carries the next sequence, the
/// actor <c>user:&lt;token name&gt;</c>, the action's incident, tenant, remediation, idempotency key and policy answer,
/// so the sink stores it like the executor's own steps.
/// <para>
/// Idempotent: when the trail already holds the same decision by the same person, that record is answered again and
/// nothing is published. Records this instance published and the store does not show yet (the sink batches) are kept
/// for <see cref="PendingFor"/> and count as the latest step, so a double click does not publish twice and a reject
/// right after an approve is refused. Decisions are serialized in this instance (people decide rarely); between API
/// replicas the executor, which checks its transitions when it consumes the record, is the arbiter.
/// </para>
/// </summary>
internal sealed class ActionDecisions(ActionStore store, ActionRecordPublisher publisher, TimeProvider time, ILogger<ActionDecisions> logger) : IDisposable
{
    /// <summary>How long a published decision counts while the store does not show it.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<string, (ActionRecord Record, DateTimeOffset At)> published = new(StringComparer.Ordinal);

    public async Task<ActionDecisionOutcome> DecideAsync(
        string actionId, ActionDecisionKind kind, string tokenName, string reason, TenantScope scope, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.GetAsync(actionId, scope, cancellationToken);
            if (stored is null)
            {
                return new ActionDecisionOutcome.NotFound();
            }

            if (stored.Tenant.Length == 0 && !scope.IsAll)
            {
                return new ActionDecisionOutcome.PlatformAction();
            }

            var trail = WithPending(stored);
            var actor = $"user:{tokenName}";
            var target = ActionTransitions.Target(kind);
            var earlier = trail.Steps.LastOrDefault(s => s.Record.Phase == target && s.Record.Actor == actor);
            if (earlier.Record is not null)
            {
                Log.ActionDecisionRepeated(logger, tokenName, ActionPhases.Api(target), actionId, earlier.Record.Sequence);
                return new ActionDecisionOutcome.Accepted(Response(earlier.Record, earlier.At), Repeated: true);
            }

            var current = trail.Latest.Phase;
            if (!ActionTransitions.Allows(kind, current, trail.Reversible))
            {
                var detail = kind == ActionDecisionKind.Rollback && ActionTransitions.From(kind).Contains(current)
                    ? $"action {actionId} is {ActionPhases.Api(current)} but recorded no rollback state: it cannot be rolled back"
                    : $"action {actionId} is {ActionPhases.Api(current)}; {Verb(kind)} needs {string.Join(" or ", ActionTransitions.From(kind).Select(ActionPhases.Api))}";
                Log.ActionDecisionRefused(logger, tokenName, ActionPhases.Api(target), actionId, ActionPhases.Api(current));
                return new ActionDecisionOutcome.Conflict(ActionPhases.Api(current), detail);
            }

            var now = time.GetUtcNow();
            var record = Record(trail, target, actor, reason, now);
            await publisher.PublishAsync(record, cancellationToken);
            published[actionId] = (record, now);
            Log.ActionDecided(logger, tokenName, ActionPhases.Api(target), actionId, record.Sequence, TopicCatalog.Actions.Name);
            ApiTelemetry.ActionDecisions.Add(1, new KeyValuePair<string, object?>("phase", ActionPhases.Api(target)));
            return new ActionDecisionOutcome.Accepted(Response(record, now), Repeated: false);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private static string Verb(ActionDecisionKind kind) => kind switch
    {
        ActionDecisionKind.Approve => "approving",
        ActionDecisionKind.Reject => "rejecting",
        _ => "rolling back",
    };

    private static ActionDecisionResponse Response(ActionRecord record, DateTimeOffset at) =>
        new(record.ActionId, ActionPhases.Api(record.Phase), record.Sequence, record.Actor, record.Reason, at, TopicCatalog.Actions.Name);

    private static ActionRecord Record(ActionTrail trail, ActionPhase phase, string actor, string reason, DateTimeOffset now)
    {
        var policy = trail.Steps.Select(s => s.Record).LastOrDefault(r => r.Decision.Length > 0);
        var record = new ActionRecord
        {
            ActionId = trail.ActionId,
            IncidentId = trail.IncidentId,
            Tenant = trail.Tenant,
            Phase = phase,
            Remediation = trail.Remediation?.Clone(),
            Actor = actor,
            Reason = reason,
            At = Timestamp.FromDateTimeOffset(now),
            IdempotencyKey = trail.Steps.Select(s => s.Record.IdempotencyKey).LastOrDefault(k => k.Length > 0) ?? "",
            IncidentRevision = trail.Steps.Select(s => s.Record.IncidentRevision).LastOrDefault(r => r > 0),
            Decision = policy?.Decision ?? "",
            PolicyRule = policy?.PolicyRule ?? "",
            Sequence = trail.LatestSequence + 1,
        };
        if (policy is not null)
        {
            record.Reasons.AddRange(policy.Reasons);
        }

        return record;
    }

    /// <summary>The stored trail with this instance's published decision appended while the store does not show it yet.</summary>
    private ActionTrail WithPending(ActionTrail stored)
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in published)
        {
            if (now - entry.At > PendingFor)
            {
                published.TryRemove(id, out _);
            }
        }

        if (!published.TryGetValue(stored.ActionId, out var pending))
        {
            return stored;
        }

        if (stored.Steps.Any(s => s.Record.Sequence >= pending.Record.Sequence))
        {
            published.TryRemove(stored.ActionId, out _);
            return stored;
        }

        return stored.With(pending.Record, pending.At);
    }
}
