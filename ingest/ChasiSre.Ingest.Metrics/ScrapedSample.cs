namespace ChasiSre.Ingest.Metrics;

/// <summary>One sample line of a scrape.</summary>
/// <param name="Name">The sample's metric name (<c>http_requests_total</c>, <c>rpc_seconds_bucket</c>).</param>
/// <param name="Labels">Its labels, sorted by name (ordinal), names unique.</param>
/// <param name="Value">The value as exposed (NaN and infinities included; the normalizer decides).</param>
/// <param name="TimestampMs">The explicit timestamp in Unix milliseconds, or null (the scrape's time applies).</param>
/// <param name="Family">The family the sample belongs to (<c>rpc_seconds</c> for <c>rpc_seconds_bucket</c>).</param>
/// <param name="Type">The family's type.</param>
/// <param name="Unit">The family's <c># UNIT</c>, or empty.</param>
/// <param name="Monotonic">True for samples with counter semantics (counters, histogram/summary <c>_count</c>, <c>_sum</c>, <c>_bucket</c>).</param>
public sealed record ScrapedSample(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    long? TimestampMs,
    string Family,
    MetricFamilyType Type,
    string Unit,
    bool Monotonic);
