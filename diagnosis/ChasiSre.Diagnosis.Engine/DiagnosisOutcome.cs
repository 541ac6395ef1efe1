using ChasiSre.Diagnosis.Evidence;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>The result of diagnosing one incident revision.</summary>
/// <param name="Diagnosis">The record published on <c>chasi.diagnoses.v1</c>.</param>
/// <param name="Pack">The evidence pack the diagnosis was made from (with the retrieved knowledge).</param>
/// <param name="Source">Model or rules, and why.</param>
/// <param name="LlmCalls">Requests sent to the chat client (the deterministic provider's answer counts: it is asked).</param>
/// <param name="Errors">Validation errors of the model's last invalid answer; empty when it was valid.</param>
public sealed record DiagnosisOutcome(
    ChasiSre.Schemas.V1.Diagnosis Diagnosis,
    EvidencePack Pack,
    DiagnosisSource Source,
    int LlmCalls,
    IReadOnlyList<string> Errors);
