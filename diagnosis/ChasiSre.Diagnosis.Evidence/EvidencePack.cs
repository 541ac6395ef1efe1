namespace ChasiSre.Diagnosis.Evidence;

/// <summary>The evidence of one incident as the diagnosis engine gives it to the LLM.</summary>
/// <param name="IncidentId">The incident it was built for.</param>
/// <param name="Text">The pack: sections in priority order, each item with a citable id such as <c>[ev:3]</c>.</param>
/// <param name="Tokens">Tokens of <paramref name="Text"/> counted with the cl100k_base tokenizer.</param>
/// <param name="Budget">The token budget it was held to.</param>
/// <param name="Sections">Every section, in priority order, with what was included and dropped.</param>
/// <param name="Items">Every printed item that has an id, in text order.</param>
/// <param name="OutOfScope">Input records left out because they belong to a tenant the incident does not affect.</param>
public sealed record EvidencePack(
    string IncidentId,
    string Text,
    int Tokens,
    int Budget,
    IReadOnlyList<EvidenceSectionReport> Sections,
    IReadOnlyList<EvidenceItem> Items,
    int OutOfScope)
{
    /// <summary>The ids printed, in text order (<c>sig:1</c>, <c>ev:1</c>, ...).</summary>
    public IEnumerable<string> EvidenceIds => Items.Select(i => i.Id);

    /// <summary>Sections that had items but printed none of them.</summary>
    public IEnumerable<EvidenceSection> DroppedSections => Sections.Where(s => s.Available > 0 && s.Included == 0).Select(s => s.Section);

    /// <summary>True when anything was dropped or trimmed for the budget.</summary>
    public bool Truncated => Sections.Any(s => s.Dropped > 0 || s.Trimmed > 0);

    /// <summary>The item printed with <paramref name="id"/> (<c>ev:3</c> or <c>[ev:3]</c>), or null.</summary>
    public EvidenceItem? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var bare = id.Trim().TrimStart('[').TrimEnd(']');
        return Items.FirstOrDefault(i => string.Equals(i.Id, bare, StringComparison.Ordinal));
    }
}
