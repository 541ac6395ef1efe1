using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Streams.Metrics;

/// <summary>
/// How <see cref="MetricAnomalyMonitor"/> judges metric series: points are averaged into windows of
/// <see cref="Window"/>, and each closed window is scored by NAB's best combination here (rolling z-score, anomaly
/// likelihood over it, spatial range rule over both; <c>chasi bench nab</c>: 58.6 standard).
/// </summary>
public sealed class MetricAnomalyOptions : IValidatableObject
{
    public const string SectionName = "Streams:MetricAnomaly";

    /// <summary>Width of the windows points are averaged into; the detectors see one value per window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Windows in the rolling baseline (mean and standard deviation) a window is compared with (4 h at 5 min).</summary>
    [Range(2, 10_000)]
    public int BaselineWindows { get; set; } = 48;

    /// <summary>
    /// Windows a new series is watched before it may alert (one day at 5 min, so a daily cycle is learnt). The first
    /// half trains the likelihood's view of the z-scores, the second half estimates it (NAB's split); the range rule
    /// learns over all of it.
    /// </summary>
    [Range(4, 100_000)]
    public int WarmupWindows { get; set; } = 288;

    /// <summary>Windows of z-score history the likelihood re-fits its distribution over (a week at 5 min).</summary>
    [Range(4, 100_000)]
    public int HistoryWindows { get; set; } = 2016;

    /// <summary>Half-width of the expected band in baseline standard deviations; also the z-score threshold.</summary>
    [Range(1.0, 100.0)]
    public double BandSigmas { get; set; } = 4.0;

    /// <summary>
    /// A single anomalous window alerts at once when its z-score reaches this; a milder one needs the next window to be
    /// outside the band too (Prometheus' <c>for:</c>, one window long), so a lone noisy window does not page anyone.
    /// </summary>
    [Range(1.0, 1000.0)]
    public double SevereSigmas { get; set; } = 8.0;

    /// <summary>
    /// Smallest departure from the baseline mean, as a fraction of it, that may alert: a memory series moving by
    /// 0.5 % is statistically unusual on a quiet pod and still nothing an SRE acts on.
    /// </summary>
    [Range(0.0, 100.0)]
    public double MinRelativeChange { get; set; } = 0.1;

    /// <summary>How long a finding stays active after its last anomalous window ends (so a ramp or a burst is one finding).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HoldFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long after its end an open window is closed by <see cref="MetricAnomalyMonitor.Advance"/> when no later point came.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A series with no point for this long is forgotten (its finding, if any, clears).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SeriesIdleTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Series kept at most; beyond it the least recently updated one is evicted.</summary>
    [Range(1, 10_000_000)]
    public int MaxSeries { get; set; } = 50_000;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WarmupWindows / 2 <= BaselineWindows)
        {
            yield return new ValidationResult(
                $"{nameof(WarmupWindows)} ({WarmupWindows}) must be more than twice {nameof(BaselineWindows)} ({BaselineWindows}): the likelihood learns from z-scores, which start once the baseline is full.",
                [nameof(WarmupWindows)]);
        }

        if (HistoryWindows < WarmupWindows)
        {
            yield return new ValidationResult(
                $"{nameof(HistoryWindows)} ({HistoryWindows}) must be at least {nameof(WarmupWindows)} ({WarmupWindows}).",
                [nameof(HistoryWindows)]);
        }
    }
}
