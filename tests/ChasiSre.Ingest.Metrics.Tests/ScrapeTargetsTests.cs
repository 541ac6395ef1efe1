namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class ScrapeTargetsTests
{
    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("1m", 60_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2h", 7_200_000)]
    public void ParseDuration_GoDuration_ReturnsTimeSpan(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ScrapeTargets.ParseDuration(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("-5s")]
    public void ParseDuration_Invalid_ReturnsNull(string? text) => Assert.Null(ScrapeTargets.ParseDuration(text));

    [Fact]
    public void FromPod_TimeoutAnnotationLongerThanInterval_ClampsAndEnforcesMinimumInterval()
    {
        var annotations = TestCluster.Scrape(9100);
        annotations[ScrapeTargets.IntervalAnnotation] = "1s";
        annotations[ScrapeTargets.TimeoutAnnotation] = "30s";
        var pod = TestCluster.Pod("ns-alice", "fast", "Running", "10.0.0.9", annotations);

        var target = ScrapeTargets.FromPod(pod, ClusterIdentity.Host("prod"), new TenantResolver(null), new MetricsIngestOptions { MinScrapeInterval = TimeSpan.FromSeconds(5) }, out var reason);

        Assert.Null(reason);
        Assert.Equal(TimeSpan.FromSeconds(5), target!.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), target.Timeout);
    }

    [Theory]
    [InlineData("ftp", "unsupported scheme 'ftp'")]
    public void FromPod_UnsupportedScheme_SkipsWithReason(string scheme, string expected)
    {
        var annotations = TestCluster.Scrape(9100);
        annotations[ScrapeTargets.SchemeAnnotation] = scheme;
        var pod = TestCluster.Pod("ns-alice", "odd", "Running", "10.0.0.9", annotations);

        var target = ScrapeTargets.FromPod(pod, ClusterIdentity.Host("prod"), new TenantResolver(null), new MetricsIngestOptions(), out var reason);

        Assert.Null(target);
        Assert.Equal(expected, reason);
    }
}
