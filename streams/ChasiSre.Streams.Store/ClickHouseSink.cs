using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Store;

/// <summary>
/// Writes the pipeline's topics to ClickHouse: <c>chasi.k8s.objects.v1</c> (object history),
/// <c>chasi.k8s.events.v1</c>, <c>chasi.logs.v1</c>, <c>chasi.signals.v1</c>, <c>chasi.incidents.v1</c> and
/// <c>chasi.diagnoses.v1</c>, one <see cref="AtLeastOnceConsumer{T}"/> per topic, each in a group of its own
/// (<see cref="ConsumerGroups"/>).
/// </summary>
/// <remarks>
/// Rows are inserted in batches of up to <see cref="ClickHouseSinkOptions.MaxBatchRows"/> or every
/// <see cref="ClickHouseSinkOptions.MaxBatchDelay"/>; a record's offset is stored only after the batch
/// holding its row was inserted. Replays are harmless: every table is a ReplacingMergeTree whose sort key
/// and version make a written-again row the same row (read with <c>FINAL</c>). A record that cannot become
/// a row (<see cref="UnmappableRecordException"/>) goes to the dead-letter topic through the consumer; a
/// failed insert is retried with backoff without limit, so nothing is lost. Run the schema migrations first.
/// </remarks>
public sealed class ClickHouseSink
{
    private static readonly string TableList = string.Join(',', SinkTables.TableNames);
    private readonly KafkaClientFactory kafka;
    private readonly IClickHouseStore store;
    private readonly ClickHouseSinkOptions options;
    private readonly string database;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<ClickHouseSink> logger;
    private readonly List<Func<long>> handled = [];
    private readonly List<Func<long>> deadLettered = [];

    public ClickHouseSink(
        KafkaClientFactory kafka,
        IClickHouseStore store,
        IOptions<ClickHouseSinkOptions> options,
        IOptions<ClickHouseOptions> clickHouse,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clickHouse);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.kafka = kafka;
        this.store = store;
        this.options = options.Value;
        database = clickHouse.Value.Database;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<ClickHouseSink>();
    }

    /// <summary>The topics the sink consumes.</summary>
    public static IReadOnlyList<string> Topics { get; } =
    [
        TopicCatalog.Objects.Name, TopicCatalog.Events.Name, TopicCatalog.Logs.Name,
        TopicCatalog.Signals.Name, TopicCatalog.Incidents.Name, TopicCatalog.Diagnoses.Name, TopicCatalog.Actions.Name,
    ];

    /// <summary>
    /// The consumer group of each topic's consumer, by topic: <c>&lt;groupId&gt;.&lt;table&gt;</c>, e.g.
    /// <c>clickhouse-sink.logs</c>. One group per topic, not one for all: in a shared group every consumer
    /// that leaves (each one as the sink stops, or one whose session was lost to a broker outage) makes the
    /// others rebalance, and their commits fail meanwhile, so written records were read and inserted again
    /// after a restart. Instances of the sink share each topic's partitions through these groups.
    /// </summary>
    /// <param name="groupId">The prefix, <see cref="ClickHouseSinkOptions.GroupId"/>.</param>
    public static IReadOnlyDictionary<string, string> ConsumerGroups(string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SinkTables.Objects.Topic] = ConsumerGroup(groupId, SinkTables.Objects.Table),
            [SinkTables.Events.Topic] = ConsumerGroup(groupId, SinkTables.Events.Table),
            [SinkTables.Logs.Topic] = ConsumerGroup(groupId, SinkTables.Logs.Table),
            [SinkTables.Signals.Topic] = ConsumerGroup(groupId, SinkTables.Signals.Table),
            [SinkTables.Incidents.Topic] = ConsumerGroup(groupId, SinkTables.Incidents.Table),
            [SinkTables.Diagnoses.Topic] = ConsumerGroup(groupId, SinkTables.Diagnoses.Table),
            [SinkTables.Actions.Topic] = ConsumerGroup(groupId, SinkTables.Actions.Table),
        };
    }

    /// <summary>Records written (or skipped as compaction tombstones) so far, over every topic.</summary>
    public long Handled
    {
        get
        {
            lock (handled)
            {
                return handled.Sum(h => h());
            }
        }
    }

    /// <summary>Records sent to the dead-letter topic so far, over every topic.</summary>
    public long DeadLettered
    {
        get
        {
            lock (handled)
            {
                return deadLettered.Sum(d => d());
            }
        }
    }

    /// <summary>
    /// Consumes and writes until <paramref name="cancellationToken"/> is cancelled (then returns) or a
    /// consumer fails for good (then cancels the others and throws).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Log.SinkStarted(logger, options.GroupId, database, TableList, options.MaxBatchRows, (long)options.MaxBatchDelay.TotalMilliseconds);
        Task[] runs =
        [
            RunTableAsync(SinkTables.Objects, stop),
            RunTableAsync(SinkTables.Events, stop),
            RunTableAsync(SinkTables.Logs, stop),
            RunTableAsync(SinkTables.Signals, stop),
            RunTableAsync(SinkTables.Incidents, stop),
            RunTableAsync(SinkTables.Diagnoses, stop),
            RunTableAsync(SinkTables.Actions, stop),
        ];
        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        finally
        {
            Log.SinkStopped(logger);
        }
    }

    private static string ConsumerGroup(string groupId, string table) => $"{groupId}.{table}";

    private async Task RunTableAsync<T>(SinkTable<T> table, CancellationTokenSource stop)
        where T : class, IMessage<T>, new()
    {
        var writer = new BatchingTableWriter(store, $"{database}.{table.Table}", table.Columns, options, timeProvider, logger);
        var consumer = kafka.CreateConsumer<T>(TopicCatalog.Components.Sink, ConsumerGroup(options.GroupId, table.Table), [table.Topic], async (record, cancellationToken) =>
        {
            var row = table.Map(record);
            if (row is not null)
            {
                await writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
            }
        });

        // Every row waits in the handler until its batch is written, so a full batch needs that many handlers.
        consumer.HandlersInFlight = options.MaxBatchRows;
        lock (handled)
        {
            handled.Add(() => consumer.Handled);
            deadLettered.Add(() => consumer.DeadLettered);
        }

        var writing = writer.RunAsync(stop.Token);
        try
        {
            await consumer.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            Log.ConsumerFailed(logger, ex, table.Topic);
            throw;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }
    }
}
