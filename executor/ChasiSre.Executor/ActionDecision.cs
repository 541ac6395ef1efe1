namespace ChasiSre.Executor;

/// <summary>What the policy allows for a proposed action, from least to most restrictive.</summary>
public enum ActionDecision
{
    /// <summary>The executor may run it without a human (after its dry run).</summary>
    Auto = 0,

    /// <summary>A human must approve it first.</summary>
    Approval = 1,

    /// <summary>It must not run.</summary>
    Deny = 2,
}
