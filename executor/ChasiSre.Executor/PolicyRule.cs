namespace ChasiSre.Executor;

/// <summary>
/// One ordered rule: the first rule whose <see cref="Match"/> accepts a proposed action decides it. Its
/// <see cref="Limits"/> can only tighten the policy's limits.
/// </summary>
public sealed record PolicyRule
{
    public required string Name { get; init; }

    public PolicyMatch Match { get; init; } = PolicyMatch.Any;

    public required ActionDecision Decision { get; init; }

    public BlastRadiusLimits? Limits { get; init; }

    /// <summary>Where the rule was written (<c>file:line</c>), for the audit record; empty when built in code.</summary>
    public string Source { get; init; } = "";
}
