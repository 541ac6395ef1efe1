namespace ChasiSre.Executor;

/// <summary>How much one action, and one tenant's actions, may touch; null means no limit at this level.</summary>
public sealed record BlastRadiusLimits
{
    public static BlastRadiusLimits None { get; } = new();

    /// <summary>Objects one action may change (a restart of a workload touches the workload; a delete collection, every object).</summary>
    public int? MaxObjectsPerAction { get; init; }

    /// <summary>Actions the executor may run against one tenant in any one hour.</summary>
    public int? MaxActionsPerTenantPerHour { get; init; }

    /// <summary>The tighter of two limits, dimension by dimension (a rule can only tighten the policy's limits).</summary>
    public BlastRadiusLimits Tighten(BlastRadiusLimits? other) => other is null
        ? this
        : new BlastRadiusLimits
        {
            MaxObjectsPerAction = Min(MaxObjectsPerAction, other.MaxObjectsPerAction),
            MaxActionsPerTenantPerHour = Min(MaxActionsPerTenantPerHour, other.MaxActionsPerTenantPerHour),
        };

    private static int? Min(int? a, int? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => Math.Min(a.Value, b.Value),
    };
}
