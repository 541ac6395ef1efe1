namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Which retrieval a query runs.</summary>
public enum RetrievalMode
{
    /// <summary>BM25 and vector search fused by reciprocal rank.</summary>
    Hybrid,

    /// <summary>BM25 only.</summary>
    Bm25,

    /// <summary>Vector search only.</summary>
    Vector,
}
