using System.Diagnostics;
using System.Globalization;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Bench;

/// <summary>
/// Produce and consume throughput of protobuf object snapshots through the client factory
/// (<see cref="RecordProducer{T}"/>, <see cref="AtLeastOnceConsumer{T}"/>) against raw byte
/// arrays of the same sizes through plain Confluent.Kafka clients with the same settings, on the
/// same embedded cluster, in the same process. Rounds alternate which side goes first; rates
/// are the median over rounds, ratios the median of the per-round ratios.
/// </summary>
internal sealed class KafkaBenchmark(int records, int rounds, int minBytes, int maxBytes, int partitions)
{
    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, CreateCatalogTopics = false });
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        var snapshots = PodSnapshotGenerator.Generate(records, minBytes, maxBytes, seed: 42);
        var keys = snapshots.Select(s => $"{s.Snapshot.Ref.Cluster}/Pod/shop/{s.Snapshot.Ref.Name}").ToArray();
        var rawKeys = keys.Select(k => System.Text.Encoding.UTF8.GetBytes(k)).ToArray();
        var rawValues = snapshots.Select(s => s.ToByteArray()).ToArray();

        TopicDefinition NewTopic(string side, int round)
        {
            var topic = TopicCatalog.Objects with { Name = $"bench.objects.{side}.{round}" };
            cluster.CreateTopic(topic.Name, partitions);
            return topic;
        }

        // Warm-up: JIT, connections, librdkafka threads.
        var warm = Math.Min(records, 2000);
        ProduceRaw(factory, NewTopic("raw", -1).Name, rawKeys, rawValues, warm, cancellationToken);
        ProduceRecords(factory, NewTopic("proto", -1), keys, snapshots, warm, cancellationToken);
        Progress($"warmed up with {warm} records per side");

        var produce = new List<(double Raw, double Proto)>();
        var consume = new List<(double Raw, double Proto)>();
        for (var round = 0; round < rounds; round++)
        {
            var rawTopic = NewTopic("raw", round);
            var protoTopic = NewTopic("proto", round);
            double rawRate, protoRate;
            if (round % 2 == 0)
            {
                rawRate = ProduceRaw(factory, rawTopic.Name, rawKeys, rawValues, records, cancellationToken);
                protoRate = ProduceRecords(factory, protoTopic, keys, snapshots, records, cancellationToken);
            }
            else
            {
                protoRate = ProduceRecords(factory, protoTopic, keys, snapshots, records, cancellationToken);
                rawRate = ProduceRaw(factory, rawTopic.Name, rawKeys, rawValues, records, cancellationToken);
            }

            produce.Add((rawRate, protoRate));
            EnsureNothingDeleted(factory, rawTopic.Name);
            EnsureNothingDeleted(factory, protoTopic.Name);
            Progress($"round {round + 1}/{rounds}: produce raw {rawRate:F0}/s, protobuf {protoRate:F0}/s");
            var rawConsume = ConsumeRaw(factory, rawTopic.Name, records, cancellationToken);
            var protoConsume = await ConsumeRecordsAsync(factory, protoTopic.Name, records, cancellationToken);
            consume.Add((rawConsume, protoConsume));
            Progress($"round {round + 1}/{rounds}: consume raw {rawConsume:F0}/s, protobuf {protoConsume:F0}/s");
        }

        var rawProduce = Median(produce.Select(p => p.Raw));
        var protoProduce = Median(produce.Select(p => p.Proto));
        var rawConsumeRate = Median(consume.Select(c => c.Raw));
        var protoConsumeRate = Median(consume.Select(c => c.Proto));
        var avgBytes = rawValues.Average(v => v.Length);
        return new BenchmarkReport(
            "kafka",
            new Dictionary<string, double>
            {
                ["produce_msgs_per_s"] = Math.Round(protoProduce),
                ["consume_msgs_per_s"] = Math.Round(protoConsumeRate),
                ["produce_mb_per_s"] = Math.Round(protoProduce * avgBytes / 1e6, 1),
                ["avg_record_bytes"] = Math.Round(avgBytes),
            },
            new Dictionary<string, double>
            {
                ["raw_produce_msgs_per_s"] = Math.Round(rawProduce),
                ["raw_consume_msgs_per_s"] = Math.Round(rawConsumeRate),
            },
            new Dictionary<string, double>
            {
                // Each round pairs the two sides back to back; the median of the per-round
                // ratios cancels the drift of a shared 2-core machine better than a ratio of medians.
                ["produce_vs_raw"] = Math.Round(Median(produce.Select(p => p.Proto / p.Raw)), 3),
                ["consume_vs_raw"] = Math.Round(Median(consume.Select(c => c.Proto / c.Raw)), 3),
            },
            new Dictionary<string, string>
            {
                ["records"] = records.ToString(CultureInfo.InvariantCulture),
                ["rounds"] = rounds.ToString(CultureInfo.InvariantCulture),
                ["record_bytes"] = $"{minBytes}-{maxBytes}",
                ["partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
                ["cluster"] = "embedded librdkafka mock, 1 broker",
                ["producer"] = $"idempotent, acks=all, {options.Compression}, linger {options.Linger.TotalMilliseconds} ms",
            });
    }

    /// <summary>Connects and obtains the idempotent producer id before the clock starts.</summary>
    private static void Prime<TKey, TValue>(Action produceOne, IProducer<TKey, TValue> producer)
    {
        produceOne();
        producer.Flush(TimeSpan.FromSeconds(30));
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"bench kafka: {message}");

    private static double ProduceRaw(KafkaClientFactory factory, string topic, byte[][] keys, byte[][] values, int count, CancellationToken cancellationToken)
    {
        using var producer = factory.CreateRawProducer("bench-raw");
        Prime(() => producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = keys[0], Value = values[0] }), producer);
        long failed = 0;
        Action<DeliveryReport<byte[]?, byte[]?>> onDelivery = r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = keys[i], Value = values[i] }, onDelivery);
        }

        producer.Flush(cancellationToken);
        return Rate(count, watch, failed);
    }

    private static double ProduceRecords(KafkaClientFactory factory, TopicDefinition topic, string[] keys, List<ObjectRecord> records, int count, CancellationToken cancellationToken)
    {
        using var producer = factory.CreateProducer<ObjectRecord>("bench");
        Prime(() => producer.Produce(topic, keys[0], records[0]), producer.Client);
        long failed = 0;
        Action<DeliveryReport<string, ObjectRecord?>> onDelivery = r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, keys[i], records[i], onDelivery);
        }

        producer.Flush(cancellationToken);
        return Rate(count, watch, failed);
    }

    /// <summary>
    /// The embedded cluster keeps a bounded log per partition (about 5 MB) and deletes the
    /// oldest records beyond it, as retention.bytes would; consuming would then wait forever
    /// for records that are gone. Say so instead.
    /// </summary>
    private void EnsureNothingDeleted(KafkaClientFactory factory, string topic)
    {
        using var consumer = factory.CreateRawConsumer("bench-check", $"bench-check-{Guid.NewGuid():N}");
        for (var p = 0; p < partitions; p++)
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).Low.Value;
            if (low > 0)
            {
                throw new InvalidOperationException(
                    $"The embedded cluster already deleted the first {low} records of {topic}[{p}] (its per-partition log is bounded); run with more --partitions or fewer --records.");
            }
        }
    }

    private static double ConsumeRaw(KafkaClientFactory factory, string topic, int count, CancellationToken cancellationToken)
    {
        using var consumer = factory.CreateRawConsumer("bench-raw", $"bench-raw-{Guid.NewGuid():N}");
        var watch = new Stopwatch();
        consumer.Subscribe(topic);
        var seen = 0;
        while (seen < count)
        {
            if (consumer.Consume(cancellationToken) is { Message: not null } result)
            {
                watch.Start();
                consumer.StoreOffset(result);
                seen++;
            }
        }

        var rate = Rate(count, watch, 0);
        consumer.Close();
        return rate;
    }

    private static async Task<double> ConsumeRecordsAsync(KafkaClientFactory factory, string topic, int count, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = new Stopwatch();
        var seen = 0;
        var consumer = factory.CreateConsumer<ObjectRecord>("bench", $"bench-{Guid.NewGuid():N}", [topic], (record, _) =>
        {
            watch.Start();
            if (++seen == count)
            {
                done.TrySetResult(watch.Elapsed);
            }

            return ValueTask.CompletedTask;
        });
        var run = consumer.RunAsync(stop.Token);
        var elapsed = await done.Task.WaitAsync(cancellationToken);
        await stop.CancelAsync();
        await run;
        return count / elapsed.TotalSeconds;
    }

    private static double Rate(int count, Stopwatch watch, long failed) =>
        failed == 0
            ? count / watch.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"{failed} of {count} records were not delivered");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
