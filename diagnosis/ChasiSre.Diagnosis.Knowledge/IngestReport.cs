namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Per-document outcomes of one ingest run.</summary>
public sealed record IngestReport(IReadOnlyList<DocumentIngestResult> Results)
{
    /// <summary>Documents with <paramref name="outcome"/>.</summary>
    public int Count(IngestOutcome outcome) => Results.Count(r => r.Outcome == outcome);

    /// <summary>Chunks indexed in this run.</summary>
    public int ChunksIndexed => Results.Where(r => r.Outcome == IngestOutcome.Indexed).Sum(r => r.Chunks);
}
