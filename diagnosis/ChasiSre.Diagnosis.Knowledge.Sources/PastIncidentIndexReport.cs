namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>What one run of <see cref="PastIncidentIndexer.IndexAsync"/> did.</summary>
/// <param name="RowsRead">New incident and diagnosis rows past the watermark.</param>
/// <param name="Incidents">Distinct incidents those rows belong to.</param>
/// <param name="NotResolved">Incidents whose latest revision is not resolved (indexed once they are).</param>
/// <param name="Undiagnosed">Resolved incidents without a diagnosis (indexed once one arrives).</param>
/// <param name="Results">One result per document upserted (one per affected tenant, or one shared).</param>
/// <param name="Watermark">The <c>ingested_at</c> the next run starts from.</param>
public sealed record PastIncidentIndexReport(
    int RowsRead,
    int Incidents,
    int NotResolved,
    int Undiagnosed,
    IReadOnlyList<DocumentIngestResult> Results,
    DateTime? Watermark)
{
    /// <summary>Documents with <paramref name="outcome"/>.</summary>
    public int Count(IngestOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}
