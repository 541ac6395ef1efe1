namespace ChasiSre.Api;

/// <summary>What became of a person's decision on an action.</summary>
internal abstract record ActionDecisionOutcome
{
    private ActionDecisionOutcome()
    {
    }

    /// <summary>No such action in the caller's scope (404, indistinguishable from one that does not exist).</summary>
    public sealed record NotFound : ActionDecisionOutcome;

    /// <summary>A platform action (no tenant), which only a token for every tenant may decide (403).</summary>
    public sealed record PlatformAction : ActionDecisionOutcome;

    /// <summary>The executor would refuse the request now (409): its rules do not allow it, or another request waits for the executor.</summary>
    /// <param name="Phase">The phase of the executor's latest step, API name.</param>
    /// <param name="PendingRequest">The request that waits for the executor, when that is why.</param>
    public sealed record Conflict(string Phase, string Detail, ActionRequestView? PendingRequest) : ActionDecisionOutcome;

    /// <summary>Published and acknowledged (202); <paramref name="Repeated"/> when it is the same person's earlier request, not a new one.</summary>
    public sealed record Accepted(ActionDecisionResponse Response, bool Repeated) : ActionDecisionOutcome;
}
