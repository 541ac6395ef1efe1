using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Options of the knowledge base.</summary>
public sealed class KnowledgeBaseOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Knowledge";

    /// <summary>Where the BM25 index and the embedded vectors live; null keeps everything in memory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Which vector store holds the embeddings.</summary>
    public VectorStoreKind VectorStore { get; set; } = VectorStoreKind.Embedded;

    /// <summary>Qdrant gRPC endpoint (port 6334), when <see cref="VectorStore"/> is Qdrant.</summary>
    public Uri? QdrantEndpoint { get; set; }

    /// <summary>Qdrant API key, if the server needs one.</summary>
    public string? QdrantApiKey { get; set; }

    /// <summary>Qdrant collection.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,255}$")]
    public string QdrantCollection { get; set; } = "chasi-knowledge";

    /// <summary>Largest file accepted, in bytes; larger files fail with a reason.</summary>
    [Range(1, 1L << 31)]
    public long MaxDocumentBytes { get; set; } = 8L << 20;

    /// <summary>How documents are cut.</summary>
    [Range(200, 20_000)]
    public int MaxChunkChars { get; set; } = 1800;

    /// <summary>Candidates each method contributes to the fusion.</summary>
    [Range(1, 1000)]
    public int CandidatesPerMethod { get; set; } = 40;

    /// <summary>The reciprocal rank fusion constant.</summary>
    [Range(0, 1000)]
    public int RrfK { get; set; } = ReciprocalRankFusion.DefaultK;

    /// <summary>Weight of the BM25 list in the fusion.</summary>
    [Range(0.0, 10.0)]
    public double Bm25Weight { get; set; } = 1.0;

    /// <summary>Weight of the vector list in the fusion.</summary>
    [Range(0.0, 10.0)]
    public double VectorWeight { get; set; } = 1.0;

    /// <summary>
    /// Weight of the vector list for queries written in Chinese (Han script). The default 0 leaves
    /// Chinese queries to BM25 (SmartCn): the bundled MiniLM (all-MiniLM-L6-v2) was trained on
    /// English only, so its neighbours for Chinese text are close to random and only displace good
    /// BM25 hits. Set it to <see cref="VectorWeight"/> with a multilingual embeddings endpoint.
    /// </summary>
    [Range(0.0, 10.0)]
    public double ChineseQueryVectorWeight { get; set; }

    /// <summary>Which analysed fields BM25 uses.</summary>
    public Bm25Fields Bm25Fields { get; set; } = Bm25Fields.ByQueryScript;

    /// <summary>Chunks embedded per call to the embedding generator.</summary>
    [Range(1, 4096)]
    public int EmbeddingBatchSize { get; set; } = 64;
}
