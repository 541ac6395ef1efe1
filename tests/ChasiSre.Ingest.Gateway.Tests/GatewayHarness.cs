using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>
/// A real Kafka (librdkafka's mock cluster, one per test), a Kubernetes API simulator as the host
/// cluster, and the gateway agent watching it; helpers to declare adapters and read what was published.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly string directory;
    private readonly CancellationTokenSource stopping = new();

    private GatewayHarness(EmbeddedKafkaCluster kafka, KafkaClientFactory factory, ApiServerSimulator host, GatewayOptions options, string directory)
    {
        Kafka = kafka;
        Factory = factory;
        Host = host;
        Options = options;
        this.directory = directory;
        Sink = new KafkaGatewaySink(factory);
        Agent = new GatewayAgent(Microsoft.Extensions.Options.Options.Create(options), Sink, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public ApiServerSimulator Host { get; }

    public GatewayOptions Options { get; }

    public KafkaGatewaySink Sink { get; }

    public GatewayAgent Agent { get; }

    public static async Task<GatewayHarness> StartAsync(CancellationToken cancellationToken, Action<GatewayOptions>? configure = null)
    {
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 1 });
        kafka.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        var host = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host", BookmarkInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), $"chasi-gateway-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var options = new GatewayOptions
        {
            ClusterName = "host",
            Kubeconfig = host.WriteKubeconfig(Path.Combine(directory, "host.kubeconfig")),
            DefaultInterval = TimeSpan.FromSeconds(1),
            MinInterval = TimeSpan.FromMilliseconds(900),
            CallTimeout = TimeSpan.FromMilliseconds(800),
            SchedulerTick = TimeSpan.FromMilliseconds(20),
            BreakerFailureThreshold = 2,
            BreakerOpenDuration = TimeSpan.FromSeconds(1),
            BreakerMaxOpenDuration = TimeSpan.FromSeconds(3),
            InitialLookback = TimeSpan.FromMinutes(3),
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            WatchTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var validation = new GatewayOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        var harness = new GatewayHarness(kafka, factory, host, options, directory);
        await harness.Agent.StartAsync(cancellationToken);
        return harness;
    }

    public async Task<AdapterScheduler> SchedulerAsync() => await Agent.Scheduler;

    public static JsonObject Pod(string ns, string name, int port, string transport = "http", string? secret = "orders-token", string ip = "127.0.0.1", string phase = "Running", string? interval = null)
    {
        var annotations = new JsonObject { [AdapterAnnotations.Adapter] = transport, [AdapterAnnotations.Port] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (secret is not null)
        {
            annotations[AdapterAnnotations.TokenSecret] = secret;
        }

        if (interval is not null)
        {
            annotations[AdapterAnnotations.Interval] = interval;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name, ["uid"] = Guid.NewGuid().ToString(), ["annotations"] = annotations },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "orders:1" }) },
            ["status"] = new JsonObject { ["phase"] = phase, ["podIP"] = ip },
        };
    }

    public static JsonObject Secret(string ns, string name, string token) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
        ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)) },
    };

    /// <summary>Every record of <paramref name="topic"/> so far.</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadAllAsync(TopicDefinition topic, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var consumer = Factory.CreateRawConsumer("test-reader", $"reader-{Guid.NewGuid():N}");
        var partition = new TopicPartition(topic.Name, 0);
        var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value;
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        if (end == 0)
        {
            return records;
        }

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            records.Add(result);
            if (result.Offset.Value + 1 >= end)
            {
                break;
            }
        }

        consumer.Close();
        return records;
    }

    public async Task<List<BusinessRecord>> BusinessAsync(CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(TopicCatalog.Business, cancellationToken)).Select(r => BusinessRecord.Parser.ParseFrom(r.Message.Value))];

    public async Task<List<Signal>> SignalsAsync(CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(TopicCatalog.Alerts, cancellationToken)).Select(r => Signal.Parser.ParseFrom(r.Message.Value))];

    public async Task<List<(DeadLetter Letter, Headers Headers)>> DeadLettersAsync(CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(TopicCatalog.DeadLetters, cancellationToken)).Select(r => (DeadLetter.Parser.ParseFrom(r.Message.Value), r.Message.Headers))];

    /// <summary>Polls <paramref name="read"/> until <paramref name="condition"/> holds on its result.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, CancellationToken cancellationToken, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static string Header(Headers headers, string key) => Encoding.UTF8.GetString(headers.GetLastBytes(key));

    public static string Text(IMessage message) => JsonFormatter.Default.Format(message);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Agent.StopAsync(CancellationToken.None);
        Agent.Dispose();
        Sink.Dispose();
        await Host.DisposeAsync();
        Kafka.Dispose();
        stopping.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a client being torn down: the OS temp cleaner gets it.
        }
    }
}
