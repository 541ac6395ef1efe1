using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Options of <see cref="ClickHouseEvidenceSource"/> (section <c>EvidenceSource</c>).</summary>
public sealed class ClickHouseEvidenceSourceOptions
{
    public const string SectionName = "EvidenceSource";

    /// <summary>How far before the incident opened events, logs and signals are read.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan WindowBefore { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far after its last update (or resolution) they are read.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan WindowAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Related objects loaded at most (subject, affected objects, signal subjects and causes, twins).</summary>
    [Range(1, 10_000)]
    public int MaxObjects { get; set; } = 64;

    /// <summary>Event rows loaded at most (newest first).</summary>
    [Range(1, 100_000)]
    public int MaxEvents { get; set; } = 500;

    /// <summary>Log lines loaded at most, over every container (newest first).</summary>
    [Range(1, 100_000)]
    public int MaxLogLines { get; set; } = 2000;

    /// <summary>Log lines loaded at most for one container (pod, container, previous/current).</summary>
    [Range(1, 100_000)]
    public int MaxLogLinesPerContainer { get; set; } = 300;

    /// <summary>Signals loaded at most.</summary>
    [Range(1, 100_000)]
    public int MaxSignals { get; set; } = 200;
}
