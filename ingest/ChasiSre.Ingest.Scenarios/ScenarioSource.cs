namespace ChasiSre.Ingest.Scenarios;

/// <summary>A position in a scenario file (full path, 1-based line and column).</summary>
public sealed record ScenarioSource(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
