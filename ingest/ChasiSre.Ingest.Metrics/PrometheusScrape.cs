namespace ChasiSre.Ingest.Metrics;

/// <summary>What one body held.</summary>
/// <param name="Samples">The samples, in input order.</param>
/// <param name="Families">Metric families declared or seen.</param>
/// <param name="Bytes">Bytes read.</param>
/// <param name="Lines">Lines read.</param>
/// <param name="Ignored">Samples deliberately left out (OpenMetrics <c>_created</c> samples).</param>
public sealed record PrometheusScrape(IReadOnlyList<ScrapedSample> Samples, int Families, long Bytes, int Lines, int Ignored);
