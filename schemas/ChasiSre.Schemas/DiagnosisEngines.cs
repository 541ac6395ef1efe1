namespace ChasiSre.Schemas;

/// <summary>Values of <c>Diagnosis.engine</c> that consumers tell apart.</summary>
public static class DiagnosisEngines
{
    /// <summary>
    /// The deterministic rules engine: its remediations follow from the incident's category and subject, never from
    /// text a language model read. Any other value (<c>provider:model</c>) is a model's diagnosis, whose proposals the
    /// executor never runs without a person's approval.
    /// </summary>
    public const string Rules = "rules";
}
