namespace ChasiSre.Api;

/// <summary>A retrieved chunk.</summary>
/// <param name="Citation"><c>kb:source#anchor</c>, the form diagnoses cite.</param>
/// <param name="Tenant">The owning tenant, <c>shared</c> for platform documents.</param>
/// <param name="Score">Fused reciprocal-rank score.</param>
public sealed record KnowledgeHitView(
    string Citation,
    string SourceId,
    string HeadingPath,
    string Text,
    string Tenant,
    IReadOnlyList<string> Categories,
    string Language,
    double Score);
