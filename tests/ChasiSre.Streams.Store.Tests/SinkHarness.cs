using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>A Kafka cluster of its own (embedded), a migrated chDB database of its own, and the sink between them.</summary>
internal sealed class SinkHarness : IDisposable
{
    /// <summary>Partitions of every topic of the harness's cluster.</summary>
    public const int PartitionsPerTopic = 3;

    private SinkHarness(EmbeddedKafkaCluster kafka, KafkaClientFactory factory, ChDbFixture chdb, string database)
    {
        Kafka = kafka;
        Factory = factory;
        ChDb = chdb;
        Database = database;
    }

    /// <summary>
    /// Where the Kafka clients and the sink log: nowhere, or to the console at Debug when the environment
    /// variable <c>STORE_TESTS_LOG</c> is set (to follow a fault test's rebalances and commits).
    /// </summary>
    private static readonly ILoggerFactory Logs = Environment.GetEnvironmentVariable("STORE_TESTS_LOG") is null
        ? NullLoggerFactory.Instance
        : LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddSimpleConsole(o =>
        {
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.SingleLine = true;
        }));

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public ChDbFixture ChDb { get; }

    public string Database { get; }

    public static async Task<SinkHarness> StartAsync(ChDbFixture chdb, CancellationToken cancellationToken, int brokers = 1, Action<KafkaOptions>? configure = null)
    {
        var database = await chdb.MigratedDatabaseAsync("sink", cancellationToken);
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = brokers, PartitionsOverride = PartitionsPerTopic, ReplicationFactor = brokers });
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

        configure?.Invoke(options);
        return new SinkHarness(kafka, new KafkaClientFactory(Options.Create(options), Logs), chdb, database);
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
            Logs);

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

    /// <summary>Every partition of <paramref name="topics"/> (the harness creates three per topic).</summary>
    public static IReadOnlyList<TopicPartition> Partitions(IEnumerable<TopicDefinition> topics) =>
        [.. topics.SelectMany(t => Enumerable.Range(0, PartitionsPerTopic).Select(p => new TopicPartition(t.Name, p)))];

    /// <summary>
    /// The offsets the sink with <paramref name="groupId"/> has committed for <paramref name="partitions"/> (each topic
    /// in its own group, <see cref="ClickHouseSink.ConsumerGroups"/>), asked of the group coordinators without
    /// joining the groups; <see cref="Offset.Unset"/> where nothing was committed.
    /// </summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> CommittedAsync(string groupId, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var groups = ClickHouseSink.ConsumerGroups(groupId);
        var committed = new Dictionary<TopicPartition, long>();
        foreach (var topic in partitions.GroupBy(p => p.Topic))
        {
            using var consumer = Factory.CreateRawConsumer("store-tests-offsets", groups[topic.Key]);
            var offsets = await Task.Run(() => consumer.Committed(topic, TimeSpan.FromSeconds(20)), cancellationToken);
            consumer.Close();
            foreach (var offset in offsets)
            {
                committed[offset.TopicPartition] = offset.Offset.Value;
            }
        }

        return committed;
    }

    /// <summary>The end offset (high watermark) of every one of <paramref name="partitions"/>.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> EndOffsetsAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        using var consumer = Factory.CreateRawConsumer("store-tests-offsets", $"reader-{Guid.NewGuid():N}");
        var ends = await Task.Run(() => partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(20)).High.Value), cancellationToken);
        consumer.Close();
        return ends;
    }

    /// <summary>The dead letters on <c>chasi.dlq.v1</c> so far.</summary>
    public IReadOnlyList<ChasiSre.Schemas.V1.DeadLetter> DeadLetters()
    {
        using var consumer = Factory.CreateRawConsumer("store-tests-reader", $"reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, PartitionsPerTopic).Select(p => new TopicPartitionOffset(TopicCatalog.DeadLetters.Name, p, Offset.Beginning)).ToList();
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
