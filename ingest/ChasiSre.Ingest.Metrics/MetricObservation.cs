using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>One point of one series as a source saw it, before normalization.</summary>
/// <param name="Name">Metric name.</param>
/// <param name="Labels">Labels (any order; names starting with <c>__</c> are dropped).</param>
/// <param name="Subject">The object the series describes (its cluster and tenant place the series); null for none.</param>
/// <param name="Monotonic">Counter semantics: a drop in value is a reset.</param>
/// <param name="Value">The value.</param>
/// <param name="At">When it was observed.</param>
/// <param name="Unit">Unit, or empty.</param>
/// <param name="ExpectedInterval">The source's collection interval, for gap detection.</param>
public sealed record MetricObservation(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    ObjectRef? Subject,
    bool Monotonic,
    double Value,
    DateTimeOffset At,
    string Unit,
    TimeSpan ExpectedInterval);
