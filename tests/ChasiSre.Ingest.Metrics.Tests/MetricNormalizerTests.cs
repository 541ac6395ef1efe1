using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Time.Testing;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class MetricNormalizerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public void Normalize_CounterDrops_PublishesMonotonicValueWithResetMarker()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));

        double[] raw = [100.0, 150.0, 20.0, 50.0, 5.0];
        var values = raw
            .Select((v, i) => normalizer.Normalize(Counter("requests_total", v, T0 + (Interval * i))))
            .ToList();

        Assert.All(values, v => Assert.True(v.Accepted));
        Assert.Equal([100.0, 150.0, 170.0, 200.0, 205.0], values.Select(v => v.Sample!.Points.Single().Value));
        Assert.Equal([false, false, true, false, true], values.Select(v => v.Reset));
        Assert.Equal("true", values[2].Sample!.Labels[MetricSeries.ResetAnnotation]);
        Assert.False(values[3].Sample!.Labels.ContainsKey(MetricSeries.ResetAnnotation));
        Assert.Equal(values[0].Sample!.Series, values[2].Sample!.Series);
    }

    [Fact]
    public void Normalize_GaugeDrops_PublishedAsIsWithoutReset()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));

        normalizer.Normalize(Gauge("memory_bytes", 500, T0));
        var dropped = normalizer.Normalize(Gauge("memory_bytes", 200, T0 + Interval));

        Assert.Equal(200, dropped.Sample!.Points.Single().Value);
        Assert.False(dropped.Reset);
    }

    [Fact]
    public void Normalize_MissedScrapes_MarksGapWithSeconds()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions { GapFactor = 2 }, new FakeTimeProvider(T0));

        normalizer.Normalize(Gauge("g", 1, T0));
        var onTime = normalizer.Normalize(Gauge("g", 2, T0 + Interval + TimeSpan.FromSeconds(5)));
        var late = normalizer.Normalize(Gauge("g", 3, T0 + Interval + TimeSpan.FromSeconds(5) + (Interval * 4)));

        Assert.Null(onTime.Gap);
        Assert.False(onTime.Sample!.Labels.ContainsKey(MetricSeries.GapAnnotation));
        Assert.Equal(Interval * 4, late.Gap);
        Assert.Equal("120", late.Sample!.Labels[MetricSeries.GapAnnotation]);
        Assert.Equal(3, late.Sample.Points.Single().Value);
    }

    [Fact]
    public void Normalize_NaN_DroppedWithoutCreatingSeries()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));

        var result = normalizer.Normalize(Gauge("g", double.NaN, T0));

        Assert.Equal(NormalizeOutcome.DroppedNaN, result.Outcome);
        Assert.Null(result.Sample);
        Assert.Equal(0, normalizer.SeriesCount);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Normalize_Infinity_DroppedAndSeriesStateKept(double value)
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));
        normalizer.Normalize(Counter("c_total", 10, T0));

        var infinite = normalizer.Normalize(Counter("c_total", value, T0 + Interval));
        var next = normalizer.Normalize(Counter("c_total", 12, T0 + (Interval * 2)));

        Assert.Equal(NormalizeOutcome.DroppedInfinite, infinite.Outcome);
        Assert.Equal(12, next.Sample!.Points.Single().Value);
        Assert.False(next.Reset);
    }

    [Fact]
    public void Normalize_OlderTimestamp_DroppedOutOfOrderAndStateUnchanged()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));
        normalizer.Normalize(Counter("c_total", 10, T0 + Interval));

        var old = normalizer.Normalize(Counter("c_total", 3, T0));
        var next = normalizer.Normalize(Counter("c_total", 11, T0 + (Interval * 2)));

        Assert.Equal(NormalizeOutcome.DroppedOutOfOrder, old.Outcome);
        Assert.Null(old.Sample);
        Assert.False(next.Reset);
        Assert.Equal(11, next.Sample!.Points.Single().Value);
    }

    [Fact]
    public void Normalize_SameTimestamp_DroppedDuplicate()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));
        normalizer.Normalize(Gauge("g", 1, T0));

        var duplicate = normalizer.Normalize(Gauge("g", 2, T0));

        Assert.Equal(NormalizeOutcome.DroppedDuplicate, duplicate.Outcome);
    }

    [Fact]
    public void Normalize_TenantAtLimit_RejectsNewSeriesKeepsExistingAndFlagsOnce()
    {
        var options = new MetricsIngestOptions { MaxSeriesPerTenant = 3, TenantSeriesLimits = { ["big"] = 10 } };
        var normalizer = new MetricNormalizer(options, new FakeTimeProvider(T0));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(normalizer.Normalize(Gauge("g", 1, T0, tenant: "alice", label: $"s{i}")).Accepted);
        }

        var rejected = normalizer.Normalize(Gauge("g", 1, T0, tenant: "alice", label: "s3"));
        var rejectedAgain = normalizer.Normalize(Gauge("g", 1, T0 + Interval, tenant: "alice", label: "s4"));
        var existing = normalizer.Normalize(Gauge("g", 2, T0 + Interval, tenant: "alice", label: "s0"));
        var otherTenant = normalizer.Normalize(Gauge("g", 1, T0, tenant: "bob", label: "s3"));
        var overridden = Enumerable.Range(0, 5).Select(i => normalizer.Normalize(Gauge("g", 1, T0, tenant: "big", label: $"s{i}"))).ToList();

        Assert.Equal(NormalizeOutcome.RejectedCardinality, rejected.Outcome);
        Assert.True(rejected.FirstRejection);
        Assert.Equal(NormalizeOutcome.RejectedCardinality, rejectedAgain.Outcome);
        Assert.False(rejectedAgain.FirstRejection);
        Assert.True(existing.Accepted);
        Assert.True(otherTenant.Accepted);
        Assert.All(overridden, r => Assert.True(r.Accepted));
        Assert.Equal(3, normalizer.SeriesCountOf("alice"));
    }

    [Fact]
    public void EvictIdle_IdleSeries_FreesBudgetAndRearmsTheSignal()
    {
        var time = new FakeTimeProvider(T0);
        var normalizer = new MetricNormalizer(new MetricsIngestOptions { MaxSeriesPerTenant = 1, SeriesIdleTimeout = TimeSpan.FromMinutes(10) }, time);
        normalizer.Normalize(Gauge("g", 1, T0, tenant: "alice", label: "old"));
        Assert.True(normalizer.Normalize(Gauge("g", 1, T0, tenant: "alice", label: "new")).FirstRejection);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, normalizer.EvictIdle());
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, normalizer.EvictIdle());

        Assert.Equal(0, normalizer.SeriesCountOf("alice"));
        Assert.True(normalizer.Normalize(Gauge("g", 1, T0 + TimeSpan.FromMinutes(11), tenant: "alice", label: "new")).Accepted);
        Assert.True(normalizer.Normalize(Gauge("g", 1, T0 + TimeSpan.FromMinutes(11), tenant: "alice", label: "third")).FirstRejection);
    }

    [Fact]
    public void Normalize_SameSeriesInTwoVClusters_KeepsSeparateState()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));
        var a = ClusterIdentity.VCluster("team-a", "a", "prod", "vcluster-team-a").Ref("v1", "Pod", "shop", "web-1", null);
        var b = ClusterIdentity.VCluster("team-b", "b", "prod", "vcluster-team-b").Ref("v1", "Pod", "shop", "web-1", null);

        normalizer.Normalize(new MetricObservation("c_total", [], a, true, 100, T0, "", Interval));
        var other = normalizer.Normalize(new MetricObservation("c_total", [], b, true, 5, T0 + Interval, "", Interval));

        Assert.False(other.Reset);
        Assert.Equal(5, other.Sample!.Points.Single().Value);
        Assert.Equal(2, normalizer.SeriesCount);
    }

    [Fact]
    public void Normalize_SourceLabels_SortedEscapedAndReservedOnesDropped()
    {
        var normalizer = new MetricNormalizer(new MetricsIngestOptions(), new FakeTimeProvider(T0));

        var result = normalizer.Normalize(new MetricObservation(
            "x", [new("zeta", "1"), new("alpha", "a\"b\\c\nd"), new("__reset__", "forged")], null, false, 1, T0, "bytes", Interval));

        Assert.Equal("x{alpha=\"a\\\"b\\\\c\\nd\",zeta=\"1\"}", result.Sample!.Series);
        Assert.False(result.Sample.Labels.ContainsKey("__reset__"));
        Assert.Equal("bytes", result.Sample.Unit);
        Assert.Equal(T0, result.Sample.Points.Single().At.ToDateTimeOffset());
    }

    private static MetricObservation Counter(string name, double value, DateTimeOffset at) =>
        new(name, [new("pod", "web-1")], Subject("alice"), true, value, at, "", Interval);

    private static MetricObservation Gauge(string name, double value, DateTimeOffset at, string tenant = "alice", string label = "a") =>
        new(name, [new("namespace", "ns-" + tenant), new("series", label)], Subject(tenant), false, value, at, "", Interval);

    private static ObjectRef Subject(string tenant) => ClusterIdentity.Host("prod").Ref("v1", "Pod", "ns-" + tenant, "web-1", null, tenant);
}
