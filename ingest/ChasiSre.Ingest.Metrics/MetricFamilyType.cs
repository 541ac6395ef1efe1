namespace ChasiSre.Ingest.Metrics;

/// <summary>The <c># TYPE</c> of a metric family.</summary>
public enum MetricFamilyType
{
    /// <summary>No TYPE line (<c>untyped</c> / OpenMetrics <c>unknown</c>).</summary>
    Untyped,

    /// <summary>A monotonic counter.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative buckets, sum and count.</summary>
    Histogram,

    /// <summary>Quantiles, sum and count.</summary>
    Summary,

    /// <summary>OpenMetrics gauge histogram (<c>_bucket</c>, <c>_gcount</c>, <c>_gsum</c>; not monotonic).</summary>
    GaugeHistogram,

    /// <summary>OpenMetrics info (<c>_info</c>, value 1).</summary>
    Info,

    /// <summary>OpenMetrics state set (one sample per state, 0 or 1).</summary>
    StateSet,
}
