using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.Streamiz;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Pipeline;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace ChasiSre.Cli.Bench.Streams;

/// <summary>
/// <c>chasi bench streams</c>: the detection topology against a pass-through Streamiz topology (the same three input
/// topics, the same protobuf serdes, each record straight to an output topic) on the same embedded Kafka, in the same
/// process, with the same records. Throughput is records applied per second while a producer keeps the topology
/// busy (lag bounded so the in-memory broker never drops unread data). Latency is measured afterwards on the running
/// detection topology at a fixed input rate: from producing the snapshot of a pod that starts to crashloop to reading
/// the incident that names it on the incidents topic.
/// </summary>
internal sealed class StreamsBenchmark(int events, int poolSize, int partitions, double latencyRate, TimeSpan latencyWindow, int seed, TimeSpan? flushInterval = null, bool partitionByFleet = true)
{
    private const int MaxLag = 20_000;
    private readonly DetectionTopics names = new("in.objects", "in.events", "in.logs", "out.signals", "out.incidents", "out.dlq");

    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, CreateCatalogTopics = false });
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        var pool = StreamsWorkload.Pool(poolSize, seed);
        Progress($"{pool.Count} distinct records ({pool.Sum(r => (long)r.Value.Length) / pool.Count} B on average), {events} per side");

        var passthrough = await PassthroughAsync(cluster, factory, pool, cancellationToken);
        Progress($"pass-through: {passthrough:F0} records/s");

        var topics = Topics(cluster, "detect");
        var streams = new StreamsOptions { ApplicationId = "bench-detect", Partitions = partitions };
        streams.FlushInterval = flushInterval ?? streams.FlushInterval;
        streams.InputsPartitionedByFleet = partitionByFleet;
        foreach (var topic in DetectionApplication.InternalTopics(streams, topics))
        {
            cluster.CreateTopic(topic);
        }

        using var logs = Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddConsole(b, o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning));
        var runtime = DetectionRuntime.Default(streams) with { LoggerFactory = logs };
        await using var detection = await DetectionApplication.StartAsync(factory, runtime, topics, cancellationToken);
        var detectionRate = Drive(factory, topics, pool, events, () => runtime.Progress.Records + runtime.Progress.DeadLettered, cancellationToken);
        Progress($"detection: {detectionRate:F0} records/s, {runtime.Progress.Incidents} incident records");
        var (p50, p99, probes) = await LatencyAsync(factory, topics, pool, runtime.Progress, cancellationToken);
        Progress($"latency at {latencyRate:F0} records/s: p50 {p50:F0} ms, p99 {p99:F0} ms over {probes} probes");
        using var self = Process.GetCurrentProcess();

        return new BenchmarkReport(
            "streams",
            new Dictionary<string, double>
            {
                ["events_per_s"] = Math.Round(detectionRate),
                ["latency_p50_ms"] = Math.Round(p50),
                ["latency_p99_ms"] = Math.Round(p99),
                ["latency_probes"] = probes,
                ["rss_mb"] = Math.Round(self.PeakWorkingSet64 / 1024.0 / 1024.0),
                ["dead_lettered"] = runtime.Progress.DeadLettered,
            },
            new Dictionary<string, double> { ["passthrough_events_per_s"] = Math.Round(passthrough) },
            new Dictionary<string, double> { ["detection_vs_passthrough"] = Math.Round(detectionRate / passthrough, 3) },
            new Dictionary<string, string>
            {
                ["events"] = events.ToString(CultureInfo.InvariantCulture),
                ["distinct_records"] = pool.Count.ToString(CultureInfo.InvariantCulture),
                ["partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
                ["fleets"] = "3",
                ["latency_rate_per_s"] = latencyRate.ToString(CultureInfo.InvariantCulture),
                ["latency_window_s"] = latencyWindow.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["flush_interval_ms"] = streams.FlushInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                ["inputs_partitioned_by_fleet"] = partitionByFleet ? "true" : "false",
                ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            });
    }

    private async Task<double> PassthroughAsync(EmbeddedKafkaCluster cluster, KafkaClientFactory factory, List<WorkloadRecord> pool, CancellationToken cancellationToken)
    {
        var topics = Topics(cluster, "pass");
        long forwarded = 0;
        var builder = new StreamBuilder();
        builder.Stream(topics.Objects, new StringSerDes(), new ProtobufSerDes<ObjectRecord>(), "objects-source")
            .Peek((_, _, _) => Interlocked.Increment(ref forwarded), "objects-count")
            .To(topics.Signals + ".objects", new StringSerDes(), new ProtobufSerDes<ObjectRecord>(), "objects-sink");
        builder.Stream(topics.Events, new StringSerDes(), new ProtobufSerDes<KubeEvent>(), "events-source")
            .Peek((_, _, _) => Interlocked.Increment(ref forwarded), "events-count")
            .To(topics.Signals + ".events", new StringSerDes(), new ProtobufSerDes<KubeEvent>(), "events-sink");
        builder.Stream(topics.Logs, new StringSerDes(), new ProtobufSerDes<LogRecord>(), "logs-source")
            .Peek((_, _, _) => Interlocked.Increment(ref forwarded), "logs-count")
            .To(topics.Signals + ".logs", new StringSerDes(), new ProtobufSerDes<LogRecord>(), "logs-sink");
        foreach (var output in (string[])[".objects", ".events", ".logs"])
        {
            cluster.CreateTopic(topics.Signals + output, partitions);
        }

        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = "bench-passthrough",
            BootstrapServers = factory.Options.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            CommitIntervalMs = (long)new StreamsOptions().CommitInterval.TotalMilliseconds,
            FetchWaitMaxMs = (int)new StreamsOptions().FetchWait.TotalMilliseconds,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            LingerMs = factory.Options.Linger.TotalMilliseconds,
            CompressionType = factory.Options.Compression,
            Logger = NullLoggerFactory.Instance,
        };
        var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync(cancellationToken);
        try
        {
            return Drive(factory, topics, pool, events, () => Interlocked.Read(ref forwarded), cancellationToken);
        }
        finally
        {
            stream.Dispose();
        }
    }

    private DetectionTopics Topics(EmbeddedKafkaCluster cluster, string prefix)
    {
        var topics = new DetectionTopics($"{prefix}.{names.Objects}", $"{prefix}.{names.Events}", $"{prefix}.{names.Logs}", $"{prefix}.{names.Signals}", $"{prefix}.{names.Incidents}", $"{prefix}.{names.DeadLetters}");
        foreach (var topic in (string[])[topics.Objects, topics.Events, topics.Logs, topics.Signals, topics.Incidents, topics.DeadLetters])
        {
            cluster.CreateTopic(topic, partitions);
        }

        return topics;
    }

    // Produces `count` records cycling the pool, never more than MaxLag ahead of what the topology has handled, and
    // returns handled records per second from the first produce until the topology has handled them all.
    private double Drive(KafkaClientFactory factory, DetectionTopics topics, List<WorkloadRecord> pool, int count, Func<long> handled, CancellationToken cancellationToken)
    {
        using var producer = CreateProducer(factory, topics, "bench");
        var targets = new[] { topics.Objects, topics.Events, topics.Logs };
        var start = handled();
        var pause = GC.GetTotalPauseDuration();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            while (i - (handled() - start) > MaxLag)
            {
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(TimeSpan.FromMilliseconds(1));
            }

            var record = pool[i % pool.Count];
            Produce(producer, targets[record.Topic], record.Key, record.ValueFor(i / pool.Count));
        }

        producer.Flush(cancellationToken);
        while (handled() - start < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException($"the topology handled {handled() - start} of {count} records in 30 minutes");
            }

            Thread.Sleep(5);
        }

        // Where the time went, for the method notes: the process's CPU per record and the pauses of the garbage collector.
        self.Refresh();
        Progress($"{count} records in {clock.Elapsed.TotalSeconds:F1} s, {(self.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / count:F0} us of process CPU per record; "
            + $"GC paused {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F1} s, collections gen0 {GC.CollectionCount(0) - collections.Item1}, gen1 {GC.CollectionCount(1) - collections.Item2}, gen2 {GC.CollectionCount(2) - collections.Item3}");
        return count / clock.Elapsed.TotalSeconds;
    }

    // As ingest produces: the input topics partitioned by fleet (both sides get the same partitioning).
    private IProducer<byte[]?, byte[]?> CreateProducer(KafkaClientFactory factory, DetectionTopics topics, string component) =>
        factory.CreateRawProducer(component, builder =>
        {
            if (partitionByFleet)
            {
                foreach (var topic in (string[])[topics.Objects, topics.Events, topics.Logs])
                {
                    builder.SetPartitioner(topic, (_, partitionCount, key, keyIsNull) => keyIsNull ? 0 : RecordKeys.FleetPartition(key, partitionCount));
                }
            }
        });

    private static void Produce(IProducer<byte[]?, byte[]?> producer, string topic, byte[] key, byte[] value)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value });
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    // Background load at latencyRate records/s; ten probes a second, each a new crashlooping pod. A probe's latency
    // runs from its produce call to the first incident record naming the pod.
    private async Task<(double P50, double P99, int Probes)> LatencyAsync(KafkaClientFactory factory, DetectionTopics topics, List<WorkloadRecord> pool, DetectionProgress progress, CancellationToken cancellationToken)
    {
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadIncidents(factory, topics.Incidents, sent, latencies, stop.Token), CancellationToken.None);
        using (var producer = CreateProducer(factory, topics, "bench-latency"))
        {
            var targets = new[] { topics.Objects, topics.Events, topics.Logs };
            var clock = Stopwatch.StartNew();
            var produced = 0L;
            var probes = 0;
            var fleets = new[] { "prod-eu", "prod-us", "prod-ap" };

            // The pool's rounds go on from where the throughput run left them: every snapshot a new version.
            var firstRound = (events / pool.Count) + 1;
            while (clock.Elapsed < latencyWindow)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * latencyRate);
                for (; produced < due; produced++)
                {
                    var record = pool[(int)(produced % pool.Count)];
                    Produce(producer, targets[record.Topic], record.Key, record.ValueFor(firstRound + (produced / pool.Count)));
                }

                if (clock.Elapsed.TotalSeconds * 10 > probes)
                {
                    var name = $"probe-{probes:D5}";
                    var probe = StreamsWorkload.Crashloop(fleets[probes % fleets.Length], name, DateTimeOffset.UtcNow);
                    sent[name] = Stopwatch.GetTimestamp();
                    Produce(producer, targets[probe.Topic], probe.Key, probe.Value);
                    probes++;
                }

                producer.Poll(TimeSpan.Zero);
                await Task.Delay(1, cancellationToken);
            }

            producer.Flush(cancellationToken);
        }

        // Every probe's incident, or give up after 30 s (a missing probe counts at the cut-off: it cannot make p99 look better).
        var deadline = Stopwatch.StartNew();
        while (latencies.Count < sent.Count && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancellationToken);
        }

        await stop.CancelAsync();
        await reader;
        var missing = sent.Count - latencies.Count;
        var all = latencies.Concat(Enumerable.Repeat(30_000.0, Math.Max(0, missing))).Order().ToArray();
        if (all.Length == 0 || progress.Flushes == 0)
        {
            throw new InvalidOperationException("no latency probe was sent or the topology never flushed");
        }

        return (Percentile(all, 0.50), Percentile(all, 0.99), all.Length);
    }

    private static void ReadIncidents(KafkaClientFactory factory, string topic, ConcurrentDictionary<string, long> sent, ConcurrentBag<double> latencies, CancellationToken cancellationToken)
    {
        // The reader fetches eagerly, so its own fetch wait is not counted as the topology's latency.
        var config = factory.ConsumerConfig("bench-latency", $"bench-latency-{Guid.NewGuid():N}");
        config.FetchWaitMaxMs = 5;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Subscribe(topic);
        var serde = new ProtobufSerde<Incident>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result?.Message?.Value is not { } value)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var incident = serde.Deserialize(value, false, new SerializationContext(MessageComponentType.Value, topic, result.Message.Headers));
            foreach (var reference in incident!.Affected.Append(incident.Subject))
            {
                if (reference.Name.StartsWith("probe-", StringComparison.Ordinal) && sent.TryGetValue(reference.Name, out var at) && seen.Add(reference.Name))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                }
            }
        }

        consumer.Close();
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static void Progress(string message) => Console.Error.WriteLine($"[bench streams] {message}");
}
