namespace ChasiSre.Ingest.Scenarios;

/// <summary>One problem in a scenario: the file (full path), 1-based line and column, and why.</summary>
public sealed record ScenarioError(string File, int Line, int Column, string Reason)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Reason}";
}
