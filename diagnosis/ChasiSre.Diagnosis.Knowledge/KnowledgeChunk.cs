namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A retrievable piece of a document: one heading section, or part of a long one.</summary>
/// <param name="Id">Stable id: <c>[tenant:]source#anchor</c>, with <c>~N</c> for the N-th part of a split section.</param>
/// <param name="SourceId">The document's source id.</param>
/// <param name="Tenant">Owning tenant; <see cref="KnowledgeScope.SharedTenant"/> for platform-wide documents.</param>
/// <param name="Visibility">Who may retrieve it.</param>
/// <param name="HeadingPath">Headings from the document title down to this section, e.g. <c>CrashLoopBackOff › Confirm</c>.</param>
/// <param name="Anchor">GitHub-style anchor of the section heading (the citation fragment).</param>
/// <param name="Text">The section text (without the heading path).</param>
/// <param name="Language"><c>en</c> or <c>zh</c>, detected per chunk.</param>
/// <param name="Categories">Category tags (from front matter or metadata).</param>
/// <param name="ContentHash">SHA-256 (hex) of the normalised text; equal hashes in one scope are deduplicated.</param>
public sealed record KnowledgeChunk(
    string Id,
    string SourceId,
    string Tenant,
    KnowledgeVisibility Visibility,
    string HeadingPath,
    string Anchor,
    string Text,
    string Language,
    IReadOnlyList<string> Categories,
    string ContentHash)
{
    /// <summary>The citation: <c>source#anchor</c>.</summary>
    public string Citation => Anchor.Length == 0 ? SourceId : $"{SourceId}#{Anchor}";

    /// <summary>What is indexed and embedded: the heading path, then the text.</summary>
    public string IndexedText => HeadingPath.Length == 0 ? Text : $"{HeadingPath}\n{Text}";
}
