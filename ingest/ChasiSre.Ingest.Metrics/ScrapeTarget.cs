using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>One endpoint to scrape.</summary>
/// <param name="Id">Stable identity: the subject's key, port and path.</param>
/// <param name="Url">Where to GET.</param>
/// <param name="Subject">The pod or service the samples describe.</param>
/// <param name="Labels">Labels added to every sample (<c>namespace</c> and <c>pod</c> or <c>service</c>); exposed labels of the same name become <c>exported_*</c>.</param>
/// <param name="Interval">How often.</param>
/// <param name="Timeout">Deadline of one scrape (at most <paramref name="Interval"/>).</param>
public sealed record ScrapeTarget(string Id, Uri Url, ObjectRef Subject, IReadOnlyList<KeyValuePair<string, string>> Labels, TimeSpan Interval, TimeSpan Timeout);
