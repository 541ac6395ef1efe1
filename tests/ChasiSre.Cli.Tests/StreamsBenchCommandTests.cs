using System.Text.Json;

namespace ChasiSre.Cli.Tests;

public sealed class StreamsBenchCommandTests
{
    [Fact]
    public async Task BenchStreams_SmallRun_ReportsThroughputRatioLatencyAndNothingDeadLettered()
    {
        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(
            new Dictionary<string, string>(),
            TestContext.Current.CancellationToken,
            "bench", "streams", "--events", "4000", "--distinct", "2000", "--partitions", "3", "--latency-seconds", "3", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var metrics = report.RootElement.GetProperty("metrics");
        var passthrough = report.RootElement.GetProperty("baseline").GetProperty("passthrough_events_per_s").GetDouble();
        var detection = metrics.GetProperty("events_per_s").GetDouble();
        Assert.True(detection > 0 && passthrough > 0);
        Assert.Equal(Math.Round(detection / passthrough, 3), report.RootElement.GetProperty("ratios").GetProperty("detection_vs_passthrough").GetDouble(), 3);

        // Ten probes a second; with fewer than 100, p99 is the slowest probe, so every probe pod's incident came back
        // (a lost probe counts as 30 s). The generated records are all valid.
        Assert.InRange(metrics.GetProperty("latency_probes").GetDouble(), 25, 35);
        Assert.InRange(metrics.GetProperty("latency_p99_ms").GetDouble(), 1, 29_999);
        Assert.Equal(0, metrics.GetProperty("dead_lettered").GetDouble());
        Assert.True(metrics.GetProperty("rss_mb").GetDouble() > 0);
    }
}
