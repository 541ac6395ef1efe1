using ChasiSre.Executor;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>
/// The stored records of one action, with the time of each row: the executor's steps (sequence 1, 2, ...) and people's
/// requests (sequence 0), which the executor answers with steps of its own. Its <see cref="State"/> is the executor's
/// fold of them (<see cref="ActionTransitions.Fold"/>): the phase of the latest step, and the requests not answered yet.
/// </summary>
internal sealed class ActionTrail
{
    private readonly Lazy<ActionState> state;

    public ActionTrail(string actionId, IEnumerable<(ActionRecord Record, DateTimeOffset At)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        ActionId = actionId;
        var all = records.ToList();
        Steps = [.. all.Where(r => r.Record.Sequence > 0).OrderBy(r => r.Record.Sequence).ThenBy(r => r.At)];
        Requests = [.. all.Where(r => r.Record.Sequence <= 0).OrderBy(r => r.At)];

        // Each answer (a step whose actor is a requester) answers that person's oldest open request, so folding the
        // requests first and then the steps in sequence order leaves exactly the unanswered ones queued.
        state = new(() => ActionTransitions.Fold([.. Requests.Select(r => r.Record), .. Steps.Select(s => s.Record)])
            ?? new ActionState { ActionId = actionId });
    }

    public string ActionId { get; }

    /// <summary>The executor's steps, by sequence.</summary>
    public IReadOnlyList<(ActionRecord Record, DateTimeOffset At)> Steps { get; }

    /// <summary>People's requests (sequence 0), oldest first, answered or not.</summary>
    public IReadOnlyList<(ActionRecord Record, DateTimeOffset At)> Requests { get; }

    /// <summary>The executor's view of the action: the latest step's phase, and the requests it has not answered yet.</summary>
    public ActionState State => state.Value;

    /// <summary>True once the executor wrote a step (an action that only has requests does not exist).</summary>
    public bool HasSteps => Steps.Count > 0;

    /// <summary>The executor's latest step.</summary>
    public ActionRecord Latest => Steps[^1].Record;

    /// <summary>The action's tenant: the last one a step named (the record's, else its target's, as the sink stores it); empty for a platform action.</summary>
    public string Tenant => Steps.Select(s => s.Record.Tenant.Length > 0 ? s.Record.Tenant : s.Record.Remediation?.Target?.Tenant ?? "").LastOrDefault(t => t.Length > 0) ?? "";

    public string IncidentId => Steps.Select(s => s.Record.IncidentId).LastOrDefault(i => i.Length > 0) ?? "";

    /// <summary>The last remediation a step carried (later steps may leave it out).</summary>
    public Remediation? Remediation => Steps.Select(s => s.Record.Remediation).LastOrDefault(r => r is not null);

    /// <summary>Whether the request is one the executor has not answered yet.</summary>
    public bool IsPending(ActionRecord request) => State.Requests.Any(r => ReferenceEquals(r, request));

    /// <summary>Steps and requests in one list: steps by sequence, each request before the first step written after it.</summary>
    public IReadOnlyList<(ActionRecord Record, DateTimeOffset At)> Merged()
    {
        var merged = new List<(ActionRecord, DateTimeOffset)>(Steps.Count + Requests.Count);
        var next = 0;
        foreach (var step in Steps)
        {
            while (next < Requests.Count && Requests[next].At <= step.At)
            {
                merged.Add(Requests[next++]);
            }

            merged.Add(step);
        }

        merged.AddRange(Requests.Skip(next));
        return merged;
    }

    /// <summary>The trail with a request that is published but not stored yet.</summary>
    public ActionTrail With(ActionRecord request, DateTimeOffset at) => new(ActionId, [.. Steps, .. Requests, (request, at)]);
}
