using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>A diagnosis as the model (or the rules) states it, already checked against the evidence pack.</summary>
internal sealed record DiagnosisAnswer(
    string RootCause,
    Layer Layer,
    double Confidence,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> Remediation,
    IReadOnlyList<string> Citations,
    IReadOnlyList<ProposedAction> Actions);
