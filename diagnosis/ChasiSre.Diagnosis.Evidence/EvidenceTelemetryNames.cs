namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Names of the evidence stage's spans and instruments (dashboards depend on them).</summary>
public static class EvidenceTelemetryNames
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string SourceName = "ChasiSre.Diagnosis.Evidence";

    /// <summary>Span of one <see cref="IEvidenceSource.LoadAsync"/> from ClickHouse.</summary>
    public const string LoadActivity = "evidence.load";

    /// <summary>Wall time of one load, in seconds.</summary>
    public const string LoadDuration = "chasisre.diagnosis.evidence.load.duration";

    /// <summary>Rows loaded, tagged with <see cref="TableTag"/>.</summary>
    public const string RowsLoaded = "chasisre.diagnosis.evidence.rows_loaded";

    /// <summary>Tokens of each built pack.</summary>
    public const string PackTokens = "chasisre.diagnosis.evidence.pack.tokens";

    /// <summary>Packs that had to drop or trim something for the budget.</summary>
    public const string PacksTruncated = "chasisre.diagnosis.evidence.packs_truncated";

    /// <summary>The table a row came from.</summary>
    public const string TableTag = "db.collection.name";
}
