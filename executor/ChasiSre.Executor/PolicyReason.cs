namespace ChasiSre.Executor;

/// <summary>One reason behind a decision: a stable <see cref="Code"/> (see <see cref="PolicyReasonCodes"/>) and a sentence for the audit record.</summary>
public sealed record PolicyReason(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
