using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Ingest.Metrics;

/// <summary>Metric ingestion settings (section <c>Ingest:Metrics</c>).</summary>
public sealed class MetricsIngestOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Ingest:Metrics";

    /// <summary>Poll metrics.k8s.io (pod and node CPU/memory).</summary>
    public bool ResourceMetrics { get; set; } = true;

    /// <summary>How often metrics.k8s.io is polled (metrics-server refreshes about every 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResourceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Scrape pods and services annotated <c>prometheus.io/scrape: "true"</c>.</summary>
    public bool Scrape { get; set; } = true;

    /// <summary>Default scrape interval (a target overrides it with <c>chasi.io/scrape-interval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Default scrape timeout (a target overrides it with <c>chasi.io/scrape-timeout</c>); never longer than the interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shortest interval a target may ask for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MinScrapeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the annotated pods and services are listed again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Scrapes running at the same time, across all targets.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentScrapes { get; set; } = 16;

    /// <summary>Accept any certificate from <c>https</c> targets (pods usually serve self-signed ones). Off by default.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Largest scrape body, in bytes.</summary>
    [Range(1024, 1L << 30)]
    public long MaxScrapeBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Longest line of a scrape body, in bytes.</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Samples (series) one scrape may carry.</summary>
    [Range(1, 10_000_000)]
    public int MaxSeriesPerScrape { get; set; } = 50_000;

    /// <summary>Labels one sample may carry.</summary>
    [Range(1, 1024)]
    public int MaxLabels { get; set; } = 64;

    /// <summary>Longest label name, in characters.</summary>
    [Range(1, 4096)]
    public int MaxLabelNameLength { get; set; } = 128;

    /// <summary>Longest label value, in characters.</summary>
    [Range(1, 65_536)]
    public int MaxLabelValueLength { get; set; } = 2048;

    /// <summary>Active series per tenant (the platform's own series count as tenant <c>""</c>); new series beyond it are rejected.</summary>
    [Range(1, 100_000_000)]
    public int MaxSeriesPerTenant { get; set; } = 100_000;

    /// <summary>Per-tenant overrides of <see cref="MaxSeriesPerTenant"/>.</summary>
    public Dictionary<string, int> TenantSeriesLimits { get; init; } = new(StringComparer.Ordinal);

    /// <summary>A series not updated for this long is forgotten (its budget is freed; a later sample starts it afresh).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SeriesIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A sample arriving more than this many expected intervals after the previous one marks a gap.</summary>
    [Range(1.0, 1000.0)]
    public double GapFactor { get; set; } = 2.0;

    /// <summary>Largest part of a rejected scrape body kept in its dead letter, in bytes.</summary>
    [Range(0, 1024 * 1024)]
    public int DeadLetterMaxBytes { get; set; } = 64 * 1024;

    /// <summary>The parser limits these options describe.</summary>
    public PrometheusParserLimits ParserLimits() => new()
    {
        MaxBytes = MaxScrapeBytes,
        MaxLineBytes = MaxLineBytes,
        MaxSeries = MaxSeriesPerScrape,
        MaxLabels = MaxLabels,
        MaxLabelNameLength = MaxLabelNameLength,
        MaxLabelValueLength = MaxLabelValueLength,
    };

    /// <summary>The series limit of <paramref name="tenant"/>.</summary>
    public int SeriesLimitOf(string tenant) => TenantSeriesLimits.TryGetValue(tenant, out var limit) ? limit : MaxSeriesPerTenant;
}
