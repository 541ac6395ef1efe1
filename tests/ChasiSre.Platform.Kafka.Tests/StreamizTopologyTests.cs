using System.Collections.Concurrent;
using ChasiSre.Schemas;
using ChasiSre.Schemas.Streamiz;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace ChasiSre.Platform.Kafka.Tests;

public sealed class StreamizTopologyTests(EmbeddedKafkaFixture kafka)
{
    private const long WindowMs = 60_000;

    /// <summary>Signals per tenant per minute: a key change (repartition) then a windowed count.</summary>
    private static Topology SignalsPerTenantPerMinute(string input, string output)
    {
        var builder = new StreamBuilder();
        builder.Stream(input, new StringSerDes(), new ProtobufSerDes<Signal>(), "signals-source")
            .SelectKey((_, signal, _) => signal!.Subject.Tenant, "key-by-tenant")
            .GroupByKey<StringSerDes, ProtobufSerDes<Signal>>("by-tenant")
            .WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromMilliseconds(WindowMs)))
            .Count(InMemoryWindows.As<string, long>("signal-counts").WithKeySerdes(new StringSerDes()).WithValueSerdes(new Int64SerDes()), "count")
            .ToStream("to-stream")
            .Map((window, count, _) => KeyValuePair.Create($"{window.Key}@{window.Window.StartMs}", count), "window-key")
            .To(output, new StringSerDes(), new Int64SerDes(), "counts-sink");
        return builder.Build();
    }

    [Fact]
    public void InternalTopicsOf_ReadsRepartitionAndChangelogTopicsFromTheDescription()
    {
        var topics = TopologyInternalTopics.Of("app", SignalsPerTenantPerMinute("in", "out"), 3);
        Assert.Equal(
            [("app-by-tenant-repartition", CleanupPolicy.Delete), ("app-signal-counts-changelog", CleanupPolicy.Compact)],
            topics.Select(t => (t.Name, t.Cleanup)).ToArray());
    }

    [Fact]
    public async Task WindowedCountAfterRepartition_OnTheEmbeddedCluster_CountsEverySignalOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = kafka.NewTopic(Signal.Descriptor, partitions: 3);
        var output = $"test.counts.{Guid.NewGuid():N}";
        kafka.Cluster.CreateTopic(output, 3);
        var applicationId = $"app-{Guid.NewGuid():N}";
        var topology = SignalsPerTenantPerMinute(input.Name, output);
        foreach (var topic in TopologyInternalTopics.Of(applicationId, topology, 3))
        {
            kafka.Cluster.CreateTopic(topic);
        }

        // 3 tenants, signals spread over 3 one-minute windows, keyed by subject so that each
        // tenant's signals start on several partitions and must be repartitioned to be counted.
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var expected = new Dictionary<string, long>();
        var factory = kafka.Factory();
        using (var producer = factory.CreateProducer<Signal>("test"))
        {
            for (var i = 0; i < 300; i++)
            {
                var tenant = $"team-{(char)('a' + (i % 3))}";
                var at = start.AddSeconds(i * 179 % 180);
                var signal = new Signal
                {
                    Id = $"s{i}",
                    Detector = "pod.crashloop",
                    Subject = new ObjectRef { Cluster = tenant, Tenant = tenant, Kind = "Pod", Namespace = "shop", Name = $"pod-{i}" },
                    FirstSeen = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at),
                };
                var window = at.ToUnixTimeMilliseconds() / WindowMs * WindowMs;
                var key = $"{tenant}@{window}";
                expected[key] = expected.GetValueOrDefault(key) + 1;
                var message = new Message<string, Signal?> { Key = $"{tenant}/Pod/shop/pod-{i}", Value = signal, Timestamp = new Confluent.Kafka.Timestamp(at.UtcDateTime) };
                await producer.Client.ProduceAsync(input.Name, message, ct);
            }
        }

        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = applicationId,
            BootstrapServers = kafka.Cluster.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            CommitIntervalMs = 100,
            SessionTimeoutMs = 6000,
        };
        var latest = new ConcurrentDictionary<string, long>();
        var stream = new KafkaStream(topology, config);
        await stream.StartAsync(ct);
        try
        {
            using var consumer = factory.CreateRawConsumer("counts-reader", $"r-{Guid.NewGuid():N}");
            consumer.Subscribe(output);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!Matches(expected, latest) && DateTime.UtcNow < deadline)
            {
                ct.ThrowIfCancellationRequested();
                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r?.Message is { } m)
                {
                    latest[System.Text.Encoding.UTF8.GetString(m.Key!)] = new Int64SerDes().Deserialize(m.Value, default);
                }
            }

            consumer.Close();
        }
        finally
        {
            stream.Dispose();
        }

        Assert.Equal(expected.OrderBy(e => e.Key), latest.OrderBy(e => e.Key));
        Assert.Equal(9, expected.Count);
    }

    private static bool Matches(Dictionary<string, long> expected, ConcurrentDictionary<string, long> latest) =>
        expected.Count == latest.Count && expected.All(e => latest.TryGetValue(e.Key, out var v) && v == e.Value);
}
