namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A retrieval request.</summary>
/// <param name="Text">What to look for: an error message, a symptom, a question (English or Chinese).</param>
/// <param name="Tenant">The tenant asking; <see langword="null"/> sees shared documents only.</param>
/// <param name="Top">How many results.</param>
/// <param name="Mode">Hybrid (default), BM25 only or vector only.</param>
public sealed record KnowledgeQuery(string Text, string? Tenant = null, int Top = 5, RetrievalMode Mode = RetrievalMode.Hybrid);
