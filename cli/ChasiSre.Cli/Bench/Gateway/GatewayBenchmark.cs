using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Gateway;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Bench.Gateway;

/// <summary>
/// <c>chasi bench gateway</c>: the real <see cref="GatewayAgent"/> discovers N adapters from a simulated
/// API server and polls them at the given interval for the given duration, publishing to the embedded
/// Kafka; adapters, API server and Kafka run in a second process. Reports polls per second, achieved vs
/// scheduled polls, poll lag (due to start) p50/p99, the gateway process's CPU time per second of wall
/// time (1.0 = one core busy) and its memory.
/// </summary>
internal sealed class GatewayBenchmark(int adapters, TimeSpan interval, TimeSpan duration)
{
    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        using var fixture = StartFixture();
        var ready = JsonNode.Parse(await fixture.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the benchmark fixture exited before it was ready"))!;
        var kafkaOptions = new KafkaOptions { BootstrapServers = ready["bootstrap"]!.GetValue<string>() };
        var factory = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        using var sink = new KafkaGatewaySink(factory);
        var options = new GatewayOptions
        {
            ClusterName = "host",
            Kubeconfig = ready["kubeconfig"]!.GetValue<string>(),
            DefaultInterval = interval,
            MinInterval = interval,
            CallTimeout = TimeSpan.FromSeconds(Math.Min(3, interval.TotalSeconds / 2)),
        };
        var lags = new List<double>();
        using var listener = new MeterListener();
        var measuring = false;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayTelemetry.Name && instrument.Name == GatewayTelemetry.PollLagName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (Volatile.Read(ref measuring))
            {
                lock (lags)
                {
                    lags.Add(value);
                }
            }
        });
        listener.Start();

        using var agent = new GatewayAgent(Options.Create(options), sink, TimeProvider.System, NullLoggerFactory.Instance);
        var discovery = Stopwatch.StartNew();
        await agent.StartAsync(cancellationToken);
        var scheduler = await agent.Scheduler;
        while (scheduler.Adapters.Count < adapters)
        {
            if (discovery.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"only {scheduler.Adapters.Count} of {adapters} adapters discovered");
            }

            await Task.Delay(50, cancellationToken);
        }

        var discovered = discovery.Elapsed;

        // One interval of warm-up: every adapter's first poll (JIT, connections, first windows, runbooks).
        await Task.Delay(interval, cancellationToken);
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = scheduler.Statistics;
        var requestsBefore = Requests(await Command(fixture, "counts", cancellationToken));
        var cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(duration, cancellationToken);
        Volatile.Write(ref measuring, false);
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var seconds = wall.Elapsed.TotalSeconds;
        var after = scheduler.Statistics;
        var requests = Requests(await Command(fixture, "counts", cancellationToken)) - requestsBefore;
        var rss = self.WorkingSet64 / (1024.0 * 1024.0);
        var peak = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        await agent.StopAsync(CancellationToken.None);
        await Command(fixture, "quit", cancellationToken, expectAnswer: false);
        await fixture.WaitForExitAsync(cancellationToken);

        double[] sorted;
        lock (lags)
        {
            sorted = [.. lags.Order()];
        }

        var scheduled = adapters * seconds / interval.TotalSeconds;
        var started = after.Started - before.Started;
        var metrics = new Dictionary<string, double>
        {
            ["adapters"] = after.Adapters,
            ["discovery_seconds"] = discovered.TotalSeconds,
            ["polls_per_second"] = started / seconds,
            ["polls_started"] = started,
            ["polls_succeeded"] = after.Succeeded - before.Succeeded,
            ["polls_failed"] = after.Failed - before.Failed,
            ["polls_skipped_still_running"] = after.SkippedStillRunning - before.SkippedStillRunning,
            ["polls_skipped_breaker_open"] = after.SkippedBreakerOpen - before.SkippedBreakerOpen,
            ["adapter_calls_per_second"] = requests / seconds,
            ["poll_lag_p50_ms"] = Percentile(sorted, 0.50) * 1000,
            ["poll_lag_p99_ms"] = Percentile(sorted, 0.99) * 1000,
            ["poll_lag_max_ms"] = sorted.Length == 0 ? 0 : sorted[^1] * 1000,
            ["cpu_seconds_per_second"] = cpu.TotalSeconds / seconds,
            ["rss_mb"] = rss,
            ["peak_rss_mb"] = peak,
        };
        var baseline = new Dictionary<string, double>
        {
            ["polls_scheduled"] = scheduled,
            ["polls_per_second_scheduled"] = adapters / interval.TotalSeconds,
            ["cores_available"] = 1,
        };
        var ratios = new Dictionary<string, double>
        {
            ["achieved_vs_scheduled"] = started / scheduled,
            ["cpu_fraction_of_one_core"] = cpu.TotalSeconds / seconds,
        };
        var parameters = new Dictionary<string, string>
        {
            ["adapters"] = adapters.ToString(CultureInfo.InvariantCulture),
            ["interval_seconds"] = interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["duration_seconds"] = duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["transport"] = "http",
            ["processor_count"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["max_concurrent_polls"] = options.MaxConcurrentPolls.ToString(CultureInfo.InvariantCulture),
            ["scheduler_tick_ms"] = options.SchedulerTick.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
        };
        return new BenchmarkReport("gateway", metrics, baseline, ratios, parameters);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static long Requests(JsonNode? counts) => counts?["requests"]?.GetValue<long>() ?? 0;

    private Process StartFixture()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the chasi executable");
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(GatewayBenchmark).Assembly.Location);
        }

        foreach (var argument in (string[])["bench", "gateway-fixture", "--adapters", adapters.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the benchmark fixture did not start");
    }

    private static async Task<JsonNode?> Command(Process fixture, string command, CancellationToken cancellationToken, bool expectAnswer = true)
    {
        await fixture.StandardInput.WriteLineAsync(command);
        await fixture.StandardInput.FlushAsync(cancellationToken);
        if (!expectAnswer)
        {
            return null;
        }

        return JsonNode.Parse(await fixture.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException($"the benchmark fixture exited during '{command}'"));
    }
}
