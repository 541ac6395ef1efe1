namespace ChasiSre.Diagnosis.Evidence;

/// <summary>What one section contributed to a pack.</summary>
/// <param name="Section">The section.</param>
/// <param name="Available">Items the inputs offered, after deduplication (the per-section limits of <see cref="EvidencePackOptions"/> and the budget cut from these).</param>
/// <param name="Included">Items printed, whole or trimmed.</param>
/// <param name="Trimmed">Printed items whose trailing lines were cut to fit (0 or 1: the last one printed).</param>
/// <param name="Tokens">cl100k tokens the section takes in the text, its heading included.</param>
public sealed record EvidenceSectionReport(EvidenceSection Section, int Available, int Included, int Trimmed, int Tokens)
{
    /// <summary>Items left out, for a per-section limit or the budget.</summary>
    public int Dropped => Available - Included;
}
