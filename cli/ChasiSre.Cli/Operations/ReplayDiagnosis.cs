namespace ChasiSre.Cli.Operations;

/// <summary>The diagnosis of a replay incident: root cause, remediation titles and cited knowledge base chunks (<c>kb:…</c>).</summary>
internal sealed record ReplayDiagnosis(
    string Engine,
    string RootCause,
    double Confidence,
    int LlmCalls,
    IReadOnlyList<string> Remediations,
    IReadOnlyList<string> Citations);
