using System.Collections.Concurrent;
using ChasiSre.Executor;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Api;

/// <summary>
/// Turns a person's approve, reject or rollback into a request on <c>chasi.actions.v1</c> for the executor, which is the
/// only writer of an action's steps: an <c>ActionRecord</c> with sequence 0, the decision's phase and actor
/// <c>user:&lt;token name&gt;</c> (<see cref="ActionDecisions"/>). The executor answers a valid request with its own step
/// (actor the requester) and audits an invalid one; the API checks the request first with the executor's rules
/// (<see cref="ActionTransitions.CheckRequest"/>) against the action as the executor's steps left it, so a person learns
/// at once (409) what the executor would refuse.
/// <para>
/// Idempotent: when the same person already asked the same (the request is waiting, or the executor acted on it), that
/// request is answered again and nothing is published. While any request waits for the executor, another is refused
/// (409): the executor would act on the first and refuse the second. Requests this instance published and the store does
/// not show yet (the sink batches) are kept for <see cref="PendingFor"/>, so a double click does not publish twice and a
/// reject right after an approve is refused. Requests are serialized in this instance (people decide rarely); between
/// API replicas the executor, which checks every request when it consumes it, is the arbiter.
/// </para>
/// </summary>
internal sealed class ActionDecisionService(ActionStore store, ActionRecordPublisher publisher, TimeProvider time, ILogger<ActionDecisionService> logger) : IDisposable
{
    /// <summary>How long a published request counts while the store does not show it.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<string, (ActionRecord Record, DateTimeOffset At)> published = new(StringComparer.Ordinal);

    /// <summary>Checks a person's request against the action as the executor left it, and publishes it when the executor would take it.</summary>
    public async Task<ActionDecisionOutcome> DecideAsync(
        string actionId, HumanDecision decision, string tokenName, string reason, TenantScope scope, CancellationToken cancellationToken = default)
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

            var trail = Overlay(stored);
            var state = trail.State;
            var actor = $"user:{tokenName}";
            var phase = ActionTransitions.PhaseOf(decision);
            var current = ActionPhases.Api(state.Phase);
            if (Earlier(trail, phase, actor) is { } earlier)
            {
                Log.ActionDecisionRepeated(logger, tokenName, ActionPhases.Api(phase), actionId, earlier.At);
                return new ActionDecisionOutcome.Accepted(Response(earlier.Record, earlier.At), Repeated: true);
            }

            if (state.Requests.Count > 0)
            {
                var waiting = state.Requests[0];
                var at = trail.Requests.First(r => ReferenceEquals(r.Record, waiting)).At;
                Log.ActionDecisionRefused(logger, tokenName, ActionPhases.Api(phase), actionId, current);
                return new ActionDecisionOutcome.Conflict(
                    current,
                    $"{ActionTransitions.Name(waiting.Phase)} was requested by {waiting.Actor} at {at:O} and waits for the executor; action {actionId} is {ActionTransitions.Name(state.Phase)} until it answers",
                    ActionViews.Request(waiting, at));
            }

            if (ActionTransitions.CheckRequest(state, phase) is { } problem)
            {
                Log.ActionDecisionRefused(logger, tokenName, ActionPhases.Api(phase), actionId, current);
                return new ActionDecisionOutcome.Conflict(current, problem, null);
            }

            var record = await publisher.PublishAsync(actionId, decision, actor, reason, cancellationToken);
            var now = record.At.ToDateTimeOffset();
            published[actionId] = (record, now);
            Log.ActionDecided(logger, tokenName, ActionPhases.Api(phase), actionId, TopicCatalog.Actions.Name);
            ApiTelemetry.ActionDecisions.Add(1, new KeyValuePair<string, object?>("phase", ActionPhases.Api(phase)));
            return new ActionDecisionOutcome.Accepted(Response(record, now), Repeated: false);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// The same person's earlier request for the same phase that still stands: waiting for the executor, or acted on (a
    /// step of that phase by that person answered it). A refused request does not stand: asking again is checked anew.
    /// </summary>
    private static (ActionRecord Record, DateTimeOffset At)? Earlier(ActionTrail trail, ActionPhase phase, string actor)
    {
        var mine = trail.Requests.Where(r => r.Record.Phase == phase && r.Record.Actor == actor).ToList();
        if (mine.FirstOrDefault(r => trail.IsPending(r.Record)) is { Record: not null } waiting)
        {
            return waiting;
        }

        var actedOn = trail.Steps.Any(s => s.Record.Phase == phase && s.Record.Actor == actor);
        return actedOn && mine.Count > 0 ? mine[0] : null;
    }

    private static ActionDecisionResponse Response(ActionRecord record, DateTimeOffset at) =>
        new(record.ActionId, ActionViews.Request(record, at).Decision, ActionPhases.Api(record.Phase), record.Actor, record.Reason, at, TopicCatalog.Actions.Name);

    /// <summary>
    /// The stored trail with the request this instance published while the store does not show it yet, so the action
    /// shows the request as waiting for the executor from the moment it was accepted.
    /// </summary>
    public ActionTrail Overlay(ActionTrail stored)
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

        if (stored.Requests.Any(r => r.Record.Equals(pending.Record)))
        {
            published.TryRemove(stored.ActionId, out _);
            return stored;
        }

        return stored.With(pending.Record, pending.At);
    }
}
