namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>What the knowledge base holds.</summary>
/// <param name="Chunks">Chunks in the BM25 index (the catalog of record).</param>
/// <param name="Sources">Indexed sources (documents).</param>
/// <param name="ChunksByTenant">Chunks per owning tenant (<c>shared</c> for platform-wide).</param>
/// <param name="ChunksByLanguage">Chunks per detected language.</param>
/// <param name="Vectors">Vectors in the vector store.</param>
/// <param name="VectorStore">The vector store in use.</param>
public sealed record KnowledgeStats(
    int Chunks,
    int Sources,
    IReadOnlyDictionary<string, int> ChunksByTenant,
    IReadOnlyDictionary<string, int> ChunksByLanguage,
    long Vectors,
    string VectorStore);
