namespace ChasiSre.Executor;

/// <summary>One problem in a policy file: the file, 1-based line and column, and why.</summary>
public sealed record PolicyError(string File, int Line, int Column, string Reason)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Reason}";
}
