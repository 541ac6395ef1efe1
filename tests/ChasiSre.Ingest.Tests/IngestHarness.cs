using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Tests;

/// <summary>
/// A real Kafka (librdkafka's mock cluster, one per test so tests never share topics), the Kafka
/// sink, and helpers to read back what ingest published and compare it with a simulator.
/// </summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> owned = [];

    private IngestHarness(EmbeddedKafkaCluster kafka, KafkaClientFactory factory)
    {
        Kafka = kafka;
        Factory = factory;
        Sink = new KafkaIngestSink(factory, NullLogger<KafkaIngestSink>.Instance);
        Directory = Path.Combine(Path.GetTempPath(), $"chasi-ingest-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public KafkaIngestSink Sink { get; }

    public string Directory { get; }

    public static IngestOptions FastOptions() => new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        WatchTimeout = TimeSpan.FromSeconds(30),
        RequestTimeout = TimeSpan.FromSeconds(5),
        UnreachableAfter = TimeSpan.FromSeconds(1),
        RediscoveryInterval = TimeSpan.FromSeconds(2),
        PageSize = 50,
        Logs = { MinInterval = TimeSpan.FromMinutes(10) },
    };

    public static IngestHarness Start()
    {
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 3 });
        kafka.CreateCatalogTopics();
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        return new IngestHarness(kafka, new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance));
    }

    public async Task<ApiServerSimulator> SimulatorAsync(string name, CancellationToken cancellationToken)
    {
        var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = name, BookmarkInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken);
        owned.Add(simulator);
        return simulator;
    }

    public KubeApiClient Client(ApiServerSimulator simulator) =>
        new(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(simulator.WriteKubeconfig(Path.Combine(Directory, $"{simulator.ClusterName}-{Guid.NewGuid():N}.kubeconfig"))), TimeSpan.FromSeconds(5));

    public ClusterWatch Watch(ApiServerSimulator simulator, IngestOptions options, ClusterIdentity? identity = null, ITenantResolver? tenants = null, Func<ResourceChange, CancellationToken, ValueTask>? observer = null)
    {
        var watch = new ClusterWatch(identity ?? ClusterIdentity.Host(simulator.ClusterName), Client(simulator), Sink, tenants ?? new TenantResolver(null), options, TimeProvider.System, NullLoggerFactory.Instance, observer);
        owned.Add(watch);
        watch.Start();
        return watch;
    }

    /// <summary>Every record of <paramref name="topic"/> so far, in partition order.</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadAllAsync(TopicDefinition topic)
    {
        await Sink.FlushAsync();
        using var consumer = Factory.CreateRawConsumer("test-reader", $"reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic.Name, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(5)).High.Value);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var remaining = ends.Count(e => e.Value > 0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var done = new HashSet<int>();
        while (remaining > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            records.Add(result);
            if (result.Offset.Value + 1 >= ends[result.Partition.Value] && done.Add(result.Partition.Value))
            {
                remaining--;
            }
        }

        consumer.Close();
        return records;
    }

    /// <summary>The compacted view of <c>chasi.k8s.objects.v1</c>: the latest snapshot per key, deletions applied.</summary>
    public async Task<Dictionary<string, ObjectSnapshot>> ObjectStateAsync()
    {
        var serde = new ProtobufSerde<ObjectRecord>();
        var state = new Dictionary<string, ObjectSnapshot>(StringComparer.Ordinal);
        foreach (var record in await ReadAllAsync(TopicCatalog.Objects))
        {
            var key = System.Text.Encoding.UTF8.GetString(record.Message.Key!);
            var value = serde.Deserialize(record.Message.Value, record.Message.Value is null, new SerializationContext(MessageComponentType.Value, TopicCatalog.Objects.Name, record.Message.Headers));
            if (value?.RecordCase == ObjectRecord.RecordOneofCase.Snapshot)
            {
                state[key] = value.Snapshot;
            }
            else
            {
                state.Remove(key);
            }
        }

        return state;
    }

    /// <summary>Waits until Kafka's object state for <paramref name="cluster"/> equals the simulator's for the given kinds.</summary>
    public async Task AssertConvergesAsync(ApiServerSimulator simulator, string cluster, IReadOnlyList<KubeResource> resources, CancellationToken cancellationToken)
    {
        string difference = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            difference = await DifferenceAsync(simulator, cluster, resources);
            if (difference.Length == 0)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail($"Kafka never matched the simulator: {difference}");
    }

    public async Task<string> DifferenceAsync(ApiServerSimulator simulator, string cluster, IReadOnlyList<KubeResource> resources)
    {
        var state = (await ObjectStateAsync()).Values.Where(s => s.Ref.Cluster == cluster).ToList();
        var problems = new List<string>();
        foreach (var resource in resources)
        {
            var expected = simulator.List(resource.ApiVersion, resource.Kind)
                .ToDictionary(o => $"{o["metadata"]?["namespace"]}/{o["metadata"]!["name"]}", o => o["metadata"]!["resourceVersion"]!.GetValue<string>(), StringComparer.Ordinal);
            var actual = state.Where(s => s.Ref.Kind == resource.Kind)
                .ToDictionary(s => $"{s.Ref.Namespace}/{s.Ref.Name}", s => s.ResourceVersion, StringComparer.Ordinal);
            problems.AddRange(expected.Where(e => !actual.TryGetValue(e.Key, out var rv) || rv != e.Value).Select(e => $"{resource.Kind} {e.Key}@{e.Value} missing or stale (kafka: {actual.GetValueOrDefault(e.Key) ?? "absent"})"));
            problems.AddRange(actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{resource.Kind} {k} deleted but still in kafka"));
        }

        return string.Join("; ", problems.Take(10));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }

        Sink.Dispose();
        Kafka.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a client being torn down: the OS temp cleaner gets it.
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
