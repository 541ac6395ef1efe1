namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Where vectors are stored.</summary>
public enum VectorStoreKind
{
    /// <summary><see cref="EmbeddedVectorStore"/> under the data directory.</summary>
    Embedded,

    /// <summary><see cref="QdrantVectorStore"/> on a Qdrant server.</summary>
    Qdrant,
}
