namespace ChasiSre.Executor;

/// <summary>
/// The executor's policy, shaped like the spec of the <c>ActionPolicy</c> custom resource: defaults, blast-radius
/// limits, change-freeze windows and ordered rules. Built by <see cref="PolicyLoader"/> or in code; evaluated by
/// <see cref="PolicyEvaluator"/>. Immutable.
/// </summary>
public sealed record ActionPolicy
{
    /// <summary>The policy that holds nothing: every tenant action needs approval, every host action is denied.</summary>
    public static ActionPolicy Default { get; } = new() { Name = "default" };

    public required string Name { get; init; }

    public PolicyDefaults Defaults { get; init; } = PolicyDefaults.Safe;

    public BlastRadiusLimits Limits { get; init; } = BlastRadiusLimits.None;

    public IReadOnlyList<FreezeWindow> FreezeWindows { get; init; } = [];

    /// <summary>Ordered: the first match decides.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; init; } = [];

    /// <summary>The file it was loaded from; empty when built in code.</summary>
    public string Source { get; init; } = "";
}
