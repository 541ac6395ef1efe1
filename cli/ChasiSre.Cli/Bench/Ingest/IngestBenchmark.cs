using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ChasiSre.Ingest;
using ChasiSre.Platform.Kafka;
using Confluent.Kafka;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Bench.Ingest;

/// <summary>
/// <c>chasi bench ingest</c>: the watchers against a simulated host with <c>--vclusters</c> vClusters
/// holding <c>--pods</c> pods (plus their host twins, controllers, services, config and events),
/// publishing to the embedded Kafka. The simulators and Kafka run in a child process, so
/// <c>rss_mb</c> is the ingest process's own. Measures the initial sync, the steady-state API
/// requests under churn, k8sgpt's per-scan request pattern on the same clusters, and the warm
/// relist against its baseline in the same run: listing the same clusters and producing the listed
/// objects' bytes unchanged to the same Kafka (plus, for information, producing pre-built byte arrays
/// of the same count and mean size).
/// </summary>
internal sealed class IngestBenchmark(int pods, int vclusters, double steadySeconds, int seed)
{
    /// <summary>Warm rounds, each ingest's relist then the baselines; figures are medians over them.</summary>
    public const int WarmRounds = 3;

    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        using var fixture = StartFixture();
        var ready = JsonNode.Parse(await fixture.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the benchmark fixture exited before it was ready"))!;
        var bootstrap = ready["bootstrap"]!.GetValue<string>();
        var objects = ready["objects"]!.GetValue<int>();
        var meanBytes = (int)(ready["json_bytes"]!.GetValue<long>() / objects);

        var kafkaOptions = new KafkaOptions { BootstrapServers = bootstrap };
        var factory = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);

        // Initial sync: from nothing to every cluster listed and every record acknowledged.
        var options = new IngestOptions();
        foreach (var vcluster in ready["vclusters"]!.AsArray())
        {
            options.VClusterEndpoints[$"{vcluster!["namespace"]}/{vcluster["name"]}"] = vcluster["url"]!.GetValue<string>();
        }

        using var kafkaSink = new KafkaIngestSink(factory, NullLogger<KafkaIngestSink>.Instance);
        var sink = new CountingSink(kafkaSink);
        var tenants = new TenantResolver(null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var discovery = new VClusterDiscovery(ClusterIdentity.Host("host"), sink, tenants, options, TimeProvider.System, NullLoggerFactory.Instance);
        var discovering = discovery.RunAsync(stop.Token);
        var hostClient = new KubeApiClient(new KubernetesClientConfiguration { Host = ready["host"]!.GetValue<string>() }, options.RequestTimeout);
        await using var host = new ClusterWatch(ClusterIdentity.Host("host"), hostClient, sink, tenants, options, TimeProvider.System, NullLoggerFactory.Instance, discovery.ObserveAsync);
        host.Start();
        double? hostSynced = null, discovered = null;
        while (!(host.Synced && discovery.Clusters is { } clusters && clusters.Count == vclusters && clusters.All(c => c.Synced)))
        {
            if (hostSynced is null && host.Synced)
            {
                hostSynced = clock.Elapsed.TotalSeconds;
            }

            if (discovered is null && discovery.Clusters.Count == vclusters)
            {
                discovered = clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(20, cancellationToken);
        }

        var listed = clock.Elapsed.TotalSeconds;
        await sink.FlushAsync(cancellationToken);
        metrics["host_synced_seconds"] = hostSynced ?? listed;
        metrics["vclusters_discovered_seconds"] = discovered ?? listed;
        metrics["all_listed_seconds"] = listed;
        var syncSeconds = clock.Elapsed.TotalSeconds;
        var published = sink.Records;
        metrics["initial_sync_seconds"] = syncSeconds;
        metrics["objects_published"] = published;
        metrics["objects_per_s"] = published / syncSeconds;
        using (var self = Process.GetCurrentProcess())
        {
            metrics["rss_mb"] = self.WorkingSet64 / (1024.0 * 1024.0);
            metrics["peak_rss_mb"] = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        }

        // Steady state: one pod change per vCluster per second; count every API request.
        await Command(fixture, "reset", cancellationToken);
        var steady = Stopwatch.StartNew();
        while (steady.Elapsed.TotalSeconds < steadySeconds)
        {
            await Command(fixture, "churn", cancellationToken);
            await Task.Delay(1000, cancellationToken);
        }

        var steadyCounts = await Command(fixture, "counts", cancellationToken);
        var minutes = steady.Elapsed.TotalMinutes;
        metrics["watch_requests_per_min_steady"] = (Count(steadyCounts, "list") + Count(steadyCounts, "watch") + Count(steadyCounts, "get") + Count(steadyCounts, "discovery")) / minutes;
        metrics["log_requests_per_min_steady"] = Count(steadyCounts, "log") / minutes;
        metrics["records_published_steady"] = sink.Records - published;

        // Warm: the same work as the initial sync on a process that has run for a while (JIT tiers up,
        // pools are warm): every watcher asked to republish everything, then the API servers end their
        // watches cleanly (as at a watch timeout or a graceful apiserver restart), so each relists on
        // its kept connection — against the baselines on the same clusters and the same Kafka, in rounds that
        // alternate the sides so both see the same machine (other processes share its cores); each
        // figure is the median of its rounds.
        var watchers = new[] { host }.Concat(discovery.Clusters).SelectMany(c => c.Watchers).ToList();
        var urls = new[] { ready["host"]!.GetValue<string>() }.Concat(ready["vclusters"]!.AsArray().Select(v => v!["url"]!.GetValue<string>())).ToList();
        var warmRuns = new List<double>();
        var rawListRuns = new List<double>();
        var prebuiltRuns = new List<double>();
        var relistSeconds = new List<double>();
        for (var round = 0; round < WarmRounds; round++)
        {
            var before = watchers.ToDictionary(w => w, w => w.ListsCompleted);
            var publishedBefore = sink.Records;
            var warm = Stopwatch.StartNew();
            watchers.ForEach(w => w.RequestResync(interruptWatch: false));
            await Command(fixture, "end-watches", cancellationToken);
            while (!watchers.All(w => w.ListsCompleted > before[w]))
            {
                await Task.Delay(10, cancellationToken);
            }

            await sink.FlushAsync(cancellationToken);
            relistSeconds.Add(warm.Elapsed.TotalSeconds);
            warmRuns.Add((sink.Records - publishedBefore) / warm.Elapsed.TotalSeconds);
            rawListRuns.Add(await RawListProduceAsync(factory, urls, options.PageSize, cancellationToken));
            prebuiltRuns.Add(PrebuiltProduce(factory, (int)published, meanBytes));
        }

        metrics["warm_rounds"] = WarmRounds;
        metrics["warm_relist_seconds"] = Median(relistSeconds);
        metrics["objects_per_s_warm"] = Median(warmRuns);
        metrics["objects_per_s_warm_min"] = warmRuns.Min();
        metrics["objects_per_s_warm_max"] = warmRuns.Max();
        using (var self = Process.GetCurrentProcess())
        {
            metrics["peak_rss_mb_after_warm"] = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        }

        await stop.CancelAsync();
        await discovering;

        // k8sgpt's pattern, one scan of every cluster, core analyzers and with the Log analyzer.
        foreach (var (logs, name) in new[] { (false, "scan_mode_requests_per_scan"), (true, "scan_mode_requests_per_scan_with_logs") })
        {
            await Command(fixture, "reset", cancellationToken);
            var scanClock = Stopwatch.StartNew();
            var made = 0;
            foreach (var url in urls)
            {
                using var client = new KubeApiClient(new KubernetesClientConfiguration { Host = url }, TimeSpan.FromSeconds(60));
                made += await K8sGptScan.ScanAsync(client, logs, cancellationToken);
            }

            var served = Count(await Command(fixture, "counts", cancellationToken), "total");
            if (served != made)
            {
                throw new InvalidOperationException($"the scan made {made} requests but the simulators served {served}");
            }

            metrics[name] = served;
            metrics[name.Replace("requests_per_scan", "seconds", StringComparison.Ordinal)] = scanClock.Elapsed.TotalSeconds;
        }

        // k8sgpt's client is limited to 5 requests/s (burst 10): the wall time a scan needs in a real cluster.
        metrics["scan_mode_seconds_at_qps5"] = metrics["scan_mode_requests_per_scan"] / 5;

        var baseline = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["raw_list_produce_per_s"] = Median(rawListRuns),
            ["raw_list_produce_per_s_min"] = rawListRuns.Min(),
            ["raw_list_produce_per_s_max"] = rawListRuns.Max(),
            ["prebuilt_produce_per_s"] = Median(prebuiltRuns),
        };
        await Command(fixture, "quit", cancellationToken);
        await fixture.WaitForExitAsync(cancellationToken);

        return new BenchmarkReport(
            "ingest",
            metrics,
            baseline,
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                // Same run, same clusters: ingest's warm relist against listing the same clusters and producing what was listed.
                ["objects_vs_raw_produce"] = metrics["objects_per_s_warm"] / baseline["raw_list_produce_per_s"],
                // Each round's two sides next to each other, the median of the rounds' ratios.
                ["objects_vs_raw_produce_rounds_median"] = Median([.. warmRuns.Zip(rawListRuns, (a, b) => a / b)]),
                // Informative: against producing pre-built byte arrays (no API server, no JSON at all).
                ["objects_vs_prebuilt_produce"] = metrics["objects_per_s_warm"] / baseline["prebuilt_produce_per_s"],
                ["cold_objects_vs_raw_produce"] = metrics["objects_per_s"] / baseline["raw_list_produce_per_s"],
            },
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["pods"] = pods.ToString(CultureInfo.InvariantCulture),
                ["vclusters"] = vclusters.ToString(CultureInfo.InvariantCulture),
                ["objects_served"] = objects.ToString(CultureInfo.InvariantCulture),
                ["mean_object_json_bytes"] = meanBytes.ToString(CultureInfo.InvariantCulture),
                ["steady_seconds"] = steadySeconds.ToString(CultureInfo.InvariantCulture),
                ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
                ["page_size"] = options.PageSize.ToString(CultureInfo.InvariantCulture),
                ["processor_count"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            });
    }

    /// <summary>
    /// The least any watcher must do: list every resource of every cluster (same client, same page
    /// size as the watchers) and produce each item's bytes as the server sent them, keyed by cluster,
    /// resource, namespace and name; all clusters and resources concurrently, as the watchers run.
    /// </summary>
    private static async Task<double> RawListProduceAsync(KafkaClientFactory factory, IReadOnlyList<string> urls, int pageSize, CancellationToken cancellationToken)
    {
        using var producer = factory.CreateRawProducer("bench");
        var clock = Stopwatch.StartNew();
        var items = 0L;
        await Task.WhenAll(urls.Select(url => Task.Run(
            async () =>
            {
                using var client = new KubeApiClient(new KubernetesClientConfiguration { Host = url }, TimeSpan.FromSeconds(60));
                await Task.WhenAll(KubeResources.Default.Select(async resource =>
                {
                    string? next = null;
                    do
                    {
                        KubeListPage page;
                        try
                        {
                            page = await client.ListPageAsync(resource, pageSize, next, cancellationToken: cancellationToken);
                        }
                        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                        {
                            return; // not served by this cluster (k8sgpt results): nothing to list
                        }

                        using (page)
                        {
                            foreach (var item in page.Items)
                            {
                                var metadata = item.GetProperty("metadata"u8);
                                var ns = metadata.TryGetProperty("namespace"u8, out var n) ? n.GetString() : "";
                                var key = System.Text.Encoding.UTF8.GetBytes($"{url}/{resource.Plural}/{ns}/{metadata.GetProperty("name"u8).GetString()}");
                                Produce(producer, key, JsonMarshal.GetRawUtf8Value(item).ToArray());
                                Interlocked.Increment(ref items);
                            }

                            next = page.Continue;
                        }
                    }
                    while (next is not null);
                }));
            },
            cancellationToken)));
        producer.Flush(TimeSpan.FromMinutes(2));
        return items / clock.Elapsed.TotalSeconds;
    }

    private static void Produce(IProducer<byte[]?, byte[]?> producer, byte[] key, byte[] value)
    {
        while (true)
        {
            try
            {
                producer.Produce(IngestBenchFixture.RawTopic, new Message<byte[]?, byte[]?> { Key = key, Value = value });
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    private static double PrebuiltProduce(KafkaClientFactory factory, int count, int size)
    {
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        using var producer = factory.CreateRawProducer("bench");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            Produce(producer, System.Text.Encoding.UTF8.GetBytes($"host/tenant-{i % 20:D2}/core/Pod/shop/pod-{i}"), payload);
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private Process StartFixture()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the chasi executable");
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(IngestBenchmark).Assembly.Location);
        }

        foreach (var argument in (string[])["bench", "ingest-fixture", "--pods", pods.ToString(CultureInfo.InvariantCulture), "--vclusters", vclusters.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the benchmark fixture did not start");
    }

    private static async Task<JsonNode> Command(Process fixture, string command, CancellationToken cancellationToken)
    {
        await fixture.StandardInput.WriteLineAsync(command);
        await fixture.StandardInput.FlushAsync(cancellationToken);
        if (command == "quit")
        {
            return new JsonObject();
        }

        return JsonNode.Parse(await fixture.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException($"the benchmark fixture exited during '{command}'"))!;
    }

    private static double Count(JsonNode counts, string verb) => counts[verb]?.GetValue<long>() ?? 0;
}
