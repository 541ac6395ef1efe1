namespace ChasiSre.Ingest.Metrics;

/// <summary>What one scrape did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Samples">Samples parsed.</param>
/// <param name="Published">Samples the normalizer accepted (synthetic <c>up</c> and <c>scrape_*</c> series not included).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Error">What went wrong, when something did.</param>
public sealed record ScrapeResult(ScrapeStatus Status, int Samples, int Published, TimeSpan Duration, string? Error);
