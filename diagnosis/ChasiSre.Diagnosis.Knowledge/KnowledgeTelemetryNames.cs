namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Names of the knowledge base's spans and instruments (dashboards depend on them).</summary>
public static class KnowledgeTelemetryNames
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string SourceName = "ChasiSre.Diagnosis.Knowledge";

    /// <summary>Span of one document upsert.</summary>
    public const string IngestActivity = "kb.ingest";

    /// <summary>Span of one search.</summary>
    public const string SearchActivity = "kb.search";

    /// <summary>Documents processed, tagged with <see cref="OutcomeTag"/>.</summary>
    public const string Documents = "chasisre.diagnosis.kb.documents";

    /// <summary>Chunks indexed.</summary>
    public const string ChunksIndexed = "chasisre.diagnosis.kb.chunks_indexed";

    /// <summary>Search wall time, tagged with <see cref="ModeTag"/>.</summary>
    public const string SearchDuration = "chasisre.diagnosis.kb.search.duration";

    /// <summary>Ingest outcome tag.</summary>
    public const string OutcomeTag = "chasisre.kb.outcome";

    /// <summary>Retrieval mode tag.</summary>
    public const string ModeTag = "chasisre.kb.mode";
}
