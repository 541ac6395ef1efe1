using System.Diagnostics;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt.Tests;

/// <summary>A real Kafka (librdkafka's mock cluster, one per test so tests never share the signals topic) and the Kafka sink.</summary>
internal sealed class SignalKafka : IDisposable
{
    private const int Partitions = 3;

    private SignalKafka(EmbeddedKafkaCluster kafka, KafkaClientFactory factory)
    {
        Kafka = kafka;
        Factory = factory;
        Sink = new KafkaSignalSink(factory);
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public KafkaSignalSink Sink { get; }

    public static SignalKafka Start()
    {
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = Partitions });
        kafka.CreateCatalogTopics();
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        return new SignalKafka(kafka, new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance));
    }

    /// <summary>Every record on <c>chasi.alerts.v1</c>, raw, once at least <paramref name="atLeast"/> are there (or 20 s passed).</summary>
    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadSignals(int atLeast, CancellationToken cancellationToken)
    {
        using var consumer = Factory.CreateRawConsumer("test-reader", $"reader-{Guid.NewGuid():N}");
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(TopicCatalog.Alerts.Name, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var clock = Stopwatch.StartNew();
        var quietSince = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !(records.Count >= atLeast && clock.Elapsed - quietSince > TimeSpan.FromMilliseconds(300)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is { IsPartitionEOF: false })
            {
                records.Add(result);
                quietSince = clock.Elapsed;
            }
        }

        consumer.Close();
        return records;
    }

    public static Signal Decode(ConsumeResult<byte[]?, byte[]?> record) =>
        new ProtobufSerde<Signal>().Deserialize(record.Message.Value, record.Message.Value is null, new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers))!;

    public void Dispose()
    {
        Sink.Dispose();
        Kafka.Dispose();
    }
}
