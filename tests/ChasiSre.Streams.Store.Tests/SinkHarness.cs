using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>A Kafka cluster of its own (embedded), a migrated chDB database of its own, and the sink between them.</summary>
internal sealed class SinkHarness : IDisposable
{
    private SinkHarness(EmbeddedKafkaCluster kafka, KafkaClientFactory factory, ChDbFixture chdb, string database)
    {
        Kafka = kafka;
        Factory = factory;
        ChDb = chdb;
        Database = database;
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public ChDbFixture ChDb { get; }

    public string Database { get; }

    public static async Task<SinkHarness> StartAsync(ChDbFixture chdb, CancellationToken cancellationToken, int brokers = 1)
    {
        var database = await chdb.MigratedDatabaseAsync("sink", cancellationToken);
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = brokers, PartitionsOverride = 3, ReplicationFactor = brokers });
        kafka.CreateCatalogTopics();
        var options = new KafkaOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            HandlerRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxHandlerAttempts = 2,
        };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        return new SinkHarness(kafka, new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance), chdb, database);
    }

    public ClickHouseSink Sink(IClickHouseStore? store = null, int maxBatchRows = 10_000, TimeSpan? maxBatchDelay = null, string? groupId = null) =>
        new(
            Factory,
            store ?? ChDb.Store,
            Options.Create(new ClickHouseSinkOptions
            {
                GroupId = groupId ?? TopicCatalog.Components.Sink,
                MaxBatchRows = maxBatchRows,
                MaxBatchDelay = maxBatchDelay ?? TimeSpan.FromMilliseconds(200),
            }),
            Options.Create(ChDb.Options(Database)),
            TimeProvider.System,
            NullLoggerFactory.Instance);

    public async Task ProduceAsync<T>(TopicDefinition topic, IEnumerable<(string Key, T? Value)> records, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        using var producer = Factory.CreateProducer<T>("store-tests");
        var failed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        foreach (var (key, value) in records)
        {
            producer.Produce(topic, key, value, report =>
            {
                if (report.Status != PersistenceStatus.Persisted)
                {
                    failed.Enqueue($"{key}: {report.Status} {report.Error.Reason}");
                }
            });
        }

        await Task.Run(() => producer.Flush(cancellationToken), cancellationToken);
        Assert.Empty(failed);
    }

    public async Task<ulong> CountAsync(string table, bool final, CancellationToken cancellationToken, string where = "1")
    {
        var rows = await ChDb.Store.QueryAsync($"SELECT count() AS n FROM {Database}.{table}{(final ? " FINAL" : "")} WHERE {where}", cancellationToken);
        return rows[0].Get<ulong>("n");
    }

    /// <summary>Waits until <paramref name="table"/> holds <paramref name="expected"/> rows after FINAL, or fails after a bounded time.</summary>
    public async Task WaitForRowsAsync(string table, ulong expected, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        ulong seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            seen = await CountAsync(table, final: true, cancellationToken);
            if (seen >= expected)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"{table}: {seen} rows after FINAL, expected {expected}.");
    }

    /// <summary>The dead letters on <c>chasi.dlq.v1</c> so far.</summary>
    public IReadOnlyList<ChasiSre.Schemas.V1.DeadLetter> DeadLetters()
    {
        using var consumer = Factory.CreateRawConsumer("store-tests-reader", $"reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(TopicCatalog.DeadLetters.Name, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var total = partitions.Sum(p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(5)).High.Value);
        var letters = new List<ChasiSre.Schemas.V1.DeadLetter>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (letters.Count < total && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                letters.Add(ChasiSre.Schemas.V1.DeadLetter.Parser.ParseFrom(result.Message.Value));
            }
        }

        consumer.Close();
        return letters;
    }

    public void Dispose() => Kafka.Dispose();
}
