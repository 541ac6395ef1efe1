namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A chunk's vector with the payload the scope filter needs.</summary>
/// <param name="ChunkId">The chunk id.</param>
/// <param name="Tenant">Owning tenant (<c>shared</c> for platform-wide).</param>
/// <param name="Visibility">Who may retrieve it.</param>
/// <param name="Vector">Unit-length embedding.</param>
public sealed record VectorRecord(string ChunkId, string Tenant, KnowledgeVisibility Visibility, ReadOnlyMemory<float> Vector);
