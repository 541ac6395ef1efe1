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

    /// <summary>The decision does not follow the action's latest phase (409).</summary>
    /// <param name="Phase">The latest phase, API name.</param>
    public sealed record Conflict(string Phase, string Detail) : ActionDecisionOutcome;

    /// <summary>Published and acknowledged (202); <paramref name="Repeated"/> when it is an earlier identical decision's record, not a new one.</summary>
    public sealed record Accepted(ActionDecisionResponse Response, bool Repeated) : ActionDecisionOutcome;
}
