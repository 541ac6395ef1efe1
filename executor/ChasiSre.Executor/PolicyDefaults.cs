namespace ChasiSre.Executor;

/// <summary>What happens to an action no rule matches.</summary>
public sealed record PolicyDefaults
{
    public static PolicyDefaults Safe { get; } = new();

    /// <summary>For tenant (virtual) and business layer actions; <see cref="ActionDecision.Approval"/> unless set.</summary>
    public ActionDecision Decision { get; init; } = ActionDecision.Approval;

    /// <summary>For host layer actions; <see cref="ActionDecision.Deny"/> unless set.</summary>
    public ActionDecision HostLayer { get; init; } = ActionDecision.Deny;
}
