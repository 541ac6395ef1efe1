using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics.Tests;

public sealed class MetricAnomalyMonitorTests
{
    private const string Memory = "container_memory_working_set_bytes";
    private const string Latency = "http_request_duration_seconds_p99";
    private const int Day = 24 * 60;

    private static MetricAnomalyMonitor Monitor(Action<MetricAnomalyOptions>? configure = null)
    {
        var options = new MetricAnomalyOptions();
        configure?.Invoke(options);
        return new MetricAnomalyMonitor(options);
    }

    private static double Leak(int minute, double noise) =>
        minute < 2 * Day ? 1.2e8 + (1.5e6 * noise) : 1.2e8 + ((minute - (2 * Day)) * 1.5e6) + (1.5e6 * noise);

    private static double Spike(int minute, double noise) =>
        minute is >= (2 * Day) + 60 and < (2 * Day) + 75 ? 2.5 + (0.05 * noise) : 0.25 + (0.02 * noise);

    private static double Seasonal(int minute, double noise) =>
        100 + (40 * Math.Sin(2 * Math.PI * minute / Day)) + (3 * noise);

    [Fact]
    public void Observe_MemoryLeakRamp_RaisesOneFindingThatStaysActive()
    {
        var monitor = Monitor();
        var pod = Samples.Pod();

        var changes = Samples.Feed(monitor, Memory, pod, Samples.Minutes((2 * Day) + 240, Leak));

        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.Single(c.Findings));
        var finding = changes[^1].Findings[0];
        Assert.Equal(IncidentCategory.MetricAnomaly, finding.Category);
        Assert.Equal("anomaly." + Memory, finding.Detector);
        Assert.Equal(pod, finding.Subject);
        Assert.Equal("above", finding.Attributes["direction"]);
        var first = DateTimeOffset.Parse(finding.Attributes["first_anomaly"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(first, Samples.Start.AddDays(2), Samples.Start.AddDays(2).AddMinutes(90));
        Assert.True(double.Parse(finding.Attributes["value"], System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(finding.Attributes["expected.high"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(finding.Evidence, e => e.Contains("expected", StringComparison.Ordinal) && e.Contains(Memory, StringComparison.Ordinal));
    }

    [Fact]
    public void Observe_LatencySpike_RaisesThenClearsAfterHold()
    {
        var monitor = Monitor();
        var pod = Samples.Pod();

        var changes = Samples.Feed(monitor, Latency, pod, Samples.Minutes((2 * Day) + 180, Spike));

        var raised = changes.Where(c => c.Findings.Count > 0).ToList();
        Assert.NotEmpty(raised);
        Assert.Equal("above", raised[0].Findings[0].Attributes["direction"]);
        Assert.Empty(changes[^1].Findings);
        Assert.Single(changes, c => c.Findings.Count == 0);
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("noisy")]
    [InlineData("seasonal")]
    public void Observe_BenignSeries_RaisesNothing(string shape)
    {
        var monitor = Monitor();
        Func<int, double, double> series = shape switch
        {
            "flat" => (_, _) => 42.0,
            "noisy" => (_, noise) => 500 + (25 * noise),
            _ => Seasonal,
        };

        var changes = Samples.Feed(monitor, "requests_per_second", Samples.Pod(), Samples.Minutes(4 * Day, series, seed: 11));

        Assert.Empty(changes);
    }

    [Fact]
    public void Snapshot_RestoredMidway_SameChangesAsWithoutRestart()
    {
        var points = Samples.Minutes((2 * Day) + 240, Leak);
        var split = (2 * Day) - 7;
        var uninterrupted = Monitor();
        var expected = Samples.Feed(uninterrupted, Memory, Samples.Pod(), points);
        var before = Monitor();
        Samples.Feed(before, Memory, Samples.Pod(), points.Take(split));
        var after = Monitor();

        after.Restore(before.Snapshot());
        var actual = Samples.Feed(after, Memory, Samples.Pod(), points.Skip(split));

        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Fact]
    public void SnapshotSeries_RestoredIntoAnotherMonitor_ContinuesTheSeries()
    {
        var points = Samples.Minutes((2 * Day) + 120, Spike);
        var original = Monitor();
        Samples.Feed(original, Latency, Samples.Pod(), points.Take(2 * Day));
        var key = Assert.Single(original.SeriesKeys());
        var bytes = original.SnapshotSeries(key)!;
        var other = Monitor();

        Assert.Equal(key, other.RestoreSeries(bytes));
        var expected = Samples.Feed(original, Latency, Samples.Pod(), points.Skip(2 * Day));
        var actual = Samples.Feed(other, Latency, Samples.Pod(), points.Skip(2 * Day));

        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Null(other.SnapshotSeries("metric:unknown"));
    }

    [Fact]
    public void Restore_GarbageOrOtherOptions_ThrowsInvalidData()
    {
        var monitor = Monitor();
        Samples.Feed(monitor, Memory, Samples.Pod(), Samples.Minutes(600, Leak));
        var snapshot = monitor.Snapshot();

        Assert.Throws<InvalidDataException>(() => Monitor().Restore(snapshot.AsSpan(0, snapshot.Length - 9)));
        Assert.Throws<InvalidDataException>(() => Monitor().Restore([0x43, 0x53, 0x4d, 0x41, 9]));
        Assert.Throws<InvalidDataException>(() => Monitor(o => o.Window = TimeSpan.FromMinutes(1)).Restore(snapshot));
        var untouched = Monitor();
        Samples.Feed(untouched, Memory, Samples.Pod("kept"), Samples.Minutes(10, Leak));
        Assert.Throws<InvalidDataException>(() => untouched.Restore(snapshot.AsSpan(0, 40)));
        Assert.Equal(1, untouched.SeriesCount);
    }

    [Fact]
    public void Observe_NaNInfinityAndLatePoints_DroppedWithoutDisturbingTheSeries()
    {
        var clean = Monitor();
        var dirty = Monitor();
        var points = Samples.Minutes((2 * Day) + 180, Spike);
        var expected = Samples.Feed(clean, Latency, Samples.Pod(), points);

        var actual = new List<SourceFindings>();
        foreach (var (at, value) in points)
        {
            // Garbage around every point: NaN, infinities, and (once the first window closed) a point of a window closed long ago.
            (DateTimeOffset, double)[] late = at >= Samples.Start.AddMinutes(10) ? [(Samples.Start, 1e9)] : [];
            actual.AddRange(dirty.Observe(Samples.Sample(Latency, Samples.Pod(), [(at, double.NaN), (at, value), (at, double.PositiveInfinity), .. late])));
            actual.AddRange(dirty.Observe(Samples.Sample(Latency, Samples.Pod(), [(at, double.NegativeInfinity)])));
        }

        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Empty(dirty.Observe(Samples.Sample(Latency, Samples.Pod(), [])));
    }

    [Fact]
    public void Observe_PointsOfOneRecordOutOfOrder_SameAsInOrder()
    {
        var inOrder = Monitor();
        var shuffled = Monitor();
        var points = Samples.Minutes((2 * Day) + 180, Spike);

        var expected = new List<SourceFindings>();
        var actual = new List<SourceFindings>();
        foreach (var batch in points.Chunk(5))
        {
            expected.AddRange(inOrder.Observe(Samples.Sample(Latency, Samples.Pod(), batch)));
            actual.AddRange(shuffled.Observe(Samples.Sample(Latency, Samples.Pod(), batch.Reverse())));
        }

        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Fact]
    public void Observe_MoreSeriesThanAllowed_EvictsTheLeastRecentlyUpdatedAndClearsItsFinding()
    {
        var monitor = Monitor(o => o.MaxSeries = 2);
        var leaking = Samples.Pod("leaking");
        var raised = Samples.Feed(monitor, Memory, leaking, Samples.Minutes((2 * Day) + 60, Leak));
        Assert.Contains(raised, c => c.Findings.Count > 0);

        monitor.Observe(Samples.Sample(Memory, Samples.Pod("b"), [(Samples.Start.AddDays(3), 1)]));
        var changes = monitor.Observe(Samples.Sample(Memory, Samples.Pod("c"), [(Samples.Start.AddDays(3), 1)]));

        Assert.Equal(2, monitor.SeriesCount);
        var cleared = Assert.Single(changes);
        Assert.Empty(cleared.Findings);
        Assert.Equal(raised[0].SourceKey, cleared.SourceKey);
        Assert.DoesNotContain(cleared.SourceKey, monitor.SeriesKeys());
    }

    [Fact]
    public void Advance_IdleSeries_ForgottenAndOpenWindowClosed()
    {
        var monitor = Monitor(o => o.SeriesIdleTimeout = TimeSpan.FromHours(1));
        Samples.Feed(monitor, Memory, Samples.Pod(), Samples.Minutes(30, Leak));
        Samples.Feed(monitor, Memory, Samples.Pod("late"), [(Samples.Start.AddMinutes(50), 1.0)]);

        monitor.Advance(Samples.Start.AddMinutes(70));

        Assert.Equal(2, monitor.SeriesCount);
        monitor.Advance(Samples.Start.AddMinutes(100));
        Assert.Equal(["metric:" + Samples.Sample(Memory, Samples.Pod("late"), []).Subject!.HostCluster + "/vcluster-team-a/team-a/" + Samples.Sample(Memory, Samples.Pod("late"), []).Series], monitor.SeriesKeys());
        monitor.Advance(Samples.Start.AddMinutes(111));
        Assert.Equal(0, monitor.SeriesCount);
    }

    [Fact]
    public void Observe_SeriesWithoutSubject_ScoredButRaisesNothing()
    {
        var monitor = Monitor();

        var changes = Samples.Feed(monitor, Memory, null, Samples.Minutes((2 * Day) + 240, Leak));

        Assert.Empty(changes);
        Assert.Equal(1, monitor.SeriesCount);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Monitor(o => o.WarmupWindows = 50));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Monitor(o => o.HistoryWindows = 100));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Monitor(o => o.Window = TimeSpan.Zero));
    }

    private static List<string> Describe(IEnumerable<SourceFindings> changes) =>
        [.. changes.Select(c => c.SourceKey + " " + string.Join(" | ", c.Findings.Select(f => f.Message + " " + string.Join(";", f.Evidence))))];
}
