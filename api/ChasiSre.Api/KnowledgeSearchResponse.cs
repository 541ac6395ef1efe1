namespace ChasiSre.Api;

/// <summary>The hits of a knowledge search, best first.</summary>
/// <param name="Tenant">Whose private documents were searched besides the shared ones (null: shared only).</param>
public sealed record KnowledgeSearchResponse(string Query, string? Tenant, IReadOnlyList<KnowledgeHitView> Hits);
