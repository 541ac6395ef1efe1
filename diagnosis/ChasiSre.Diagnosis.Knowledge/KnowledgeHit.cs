namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A retrieved chunk with its score and citation.</summary>
/// <param name="Chunk">The chunk.</param>
/// <param name="Score">Fused reciprocal-rank score (hybrid), BM25 score or cosine similarity.</param>
/// <param name="Bm25Rank">1-based rank in the BM25 list, if it was there.</param>
/// <param name="VectorRank">1-based rank in the vector list, if it was there.</param>
public sealed record KnowledgeHit(KnowledgeChunk Chunk, double Score, int? Bm25Rank, int? VectorRank)
{
    /// <summary><c>kb:source#anchor</c>, the form diagnoses cite.</summary>
    public string Citation => $"kb:{Chunk.Citation}";
}
