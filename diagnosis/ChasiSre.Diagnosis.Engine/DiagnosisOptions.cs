using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>Settings of the diagnosis engine and its consumer (section <c>Diagnosis:Engine</c>).</summary>
public sealed class DiagnosisOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Engine";

    /// <summary>Knowledge chunks retrieved per incident and put into the evidence pack.</summary>
    [Range(0, 10)]
    public int KnowledgeChunks { get; set; } = 3;

    /// <summary>Tokens the model may answer with.</summary>
    [Range(128, 8192)]
    public int MaxAnswerTokens { get; set; } = 700;

    /// <summary>Sampling temperature for the diagnosis call (low: a diagnosis is not creative writing).</summary>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; } = 0.1f;

    /// <summary>Seed passed to providers that honour one, so the same evidence gives the same answer.</summary>
    public long Seed { get; set; } = 7;

    /// <summary>
    /// An open incident is diagnosed again only when what it is about changed (category, subject, the set of
    /// detectors firing) and at least this long after its last diagnosis: an incident's revision moves with every
    /// new event, and a diagnosis per revision would be an LLM call per event.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinRediagnoseInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after an incident was published its evidence is read: the ClickHouse sink writes in batches (up to its
    /// <c>MaxBatchDelay</c>, 1 s by default), so the log lines and events that made the incident may still be on their
    /// way into the tables when it arrives. An incident older than this is diagnosed at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan EvidenceSettle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Incidents remembered for the rediagnosis decision (oldest forgotten first).</summary>
    [Range(100, 1_000_000)]
    public int RememberedIncidents { get; set; } = 50_000;

    /// <summary>Kafka consumer group of the diagnosis consumer.</summary>
    [Required]
    public string GroupId { get; set; } = "chasi-diagnosis";
}
