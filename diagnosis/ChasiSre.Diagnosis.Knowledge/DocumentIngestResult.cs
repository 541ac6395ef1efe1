namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>The outcome for one document or file.</summary>
/// <param name="Source">The source id (or the file path when no source id could be formed).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Chunks">Chunks indexed (or removed).</param>
/// <param name="Reason">Why it was skipped or failed; how many duplicate chunks were dropped.</param>
public sealed record DocumentIngestResult(string Source, IngestOutcome Outcome, int Chunks = 0, string? Reason = null);
