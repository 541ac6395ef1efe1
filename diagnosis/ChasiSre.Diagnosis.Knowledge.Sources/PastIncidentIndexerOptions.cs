using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>Options of <see cref="PastIncidentIndexer"/>.</summary>
public sealed class PastIncidentIndexerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Knowledge:PastIncidents";

    /// <summary>
    /// File that keeps the watermark (the last <c>ingested_at</c> indexed) between runs; <see langword="null"/> keeps it in
    /// memory only (every new process starts from the beginning, which is safe: unchanged documents are skipped).
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Incidents loaded per query.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Signals listed under "What happened" (the most recent first).</summary>
    [Range(1, 200)]
    public int MaxSignals { get; set; } = 20;

    /// <summary>Cited evidence lines listed under the diagnosis.</summary>
    [Range(1, 200)]
    public int MaxEvidenceLines { get; set; } = 20;

    /// <summary>How often <see cref="PastIncidentIndexerService"/> runs the indexer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}
