using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Streams.Metrics;

/// <summary>When <see cref="BusinessHealthMonitor"/> calls a business adapter degraded.</summary>
public sealed class BusinessHealthOptions
{
    public const string SectionName = "Streams:BusinessHealth";

    /// <summary>How long an adapter must keep reporting unhealthy before it is a finding (one bad poll is not an incident).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan UnhealthyDebounce { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A KPI below its healthy baseline by this fraction or more is a drop (0.3: 30 % under).</summary>
    [Range(0.01, 1.0)]
    public double KpiDropFraction { get; set; } = 0.3;

    /// <summary>Healthy reports a KPI's baseline averages over (the most recent ones).</summary>
    [Range(1, 10_000)]
    public int KpiBaselineReports { get; set; } = 20;

    /// <summary>Healthy reports needed before a KPI's drops count.</summary>
    [Range(1, 10_000)]
    public int MinBaselineReports { get; set; } = 3;

    /// <summary>KPIs whose name ends with one of these are lower-is-better (error ratios, latencies, queue depths) and never "drop".</summary>
    public IList<string> LowerIsBetterSuffixes { get; init; } = ["_ratio", "_errors", "_failures", "_seconds", "_ms", "_latency", "_depth", "_backlog"];

    /// <summary>Error events and error log lines within <see cref="ErrorBurstWindow"/> that make a burst.</summary>
    [Range(1, 100_000)]
    public int ErrorBurst { get; set; } = 3;

    /// <summary>The sliding window error bursts are counted over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ErrorBurstWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An adapter not heard from for this long is forgotten (its finding, if any, clears).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Adapters tracked at most (least recently heard from evicted first).</summary>
    [Range(1, 1_000_000)]
    public int MaxAdapters { get; set; } = 10_000;
}
