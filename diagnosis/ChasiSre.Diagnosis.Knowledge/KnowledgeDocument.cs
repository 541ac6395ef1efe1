namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// One document from any source (a runbook file, a past incident, a runbook published by a
/// business adapter). <paramref name="SourceId"/> is stable and unique within its tenant scope;
/// it is the first half of every citation (<c>runbooks/crashloop.md#confirm</c>).
/// </summary>
/// <param name="SourceId">Stable id, e.g. a path relative to the source root or <c>incident/inc-42</c>.</param>
/// <param name="Text">The full text.</param>
/// <param name="Format">How the text is structured.</param>
/// <param name="Tenant">Owning tenant; <see langword="null"/> for platform-wide documents.</param>
/// <param name="Visibility">Who may retrieve it; a document without a tenant is always shared.</param>
public sealed record KnowledgeDocument(
    string SourceId,
    string Text,
    DocumentFormat Format = DocumentFormat.Markdown,
    string? Tenant = null,
    KnowledgeVisibility Visibility = KnowledgeVisibility.Shared)
{
    /// <summary>Free-form metadata (source kind, origin, category tags as <c>categories</c> = comma list).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
