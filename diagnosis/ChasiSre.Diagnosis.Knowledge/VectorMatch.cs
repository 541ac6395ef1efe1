namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A vector search hit: the chunk id and its cosine similarity to the query.</summary>
public sealed record VectorMatch(string ChunkId, float Score);
