using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>What a webhook body comes to: signals to publish, or why none may be (all or nothing).</summary>
internal abstract record AlertIntakeOutcome
{
    private AlertIntakeOutcome()
    {
    }

    /// <summary>Every alert mapped: one signal each, with its record key.</summary>
    public sealed record Accepted(IReadOnlyList<(string Key, Signal Signal)> Signals, string GroupKey, string Receiver, int Firing, int Resolved) : AlertIntakeOutcome;

    /// <summary>The body is not a valid Alertmanager v4 payload: field → problems.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : AlertIntakeOutcome;

    /// <summary>An alert is for a tenant outside the token's scope (or names none while the token is scoped to several).</summary>
    public sealed record OutOfScope(string Field, string Detail) : AlertIntakeOutcome;
}
