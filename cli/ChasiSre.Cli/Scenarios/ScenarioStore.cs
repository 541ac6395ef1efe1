using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Scenarios;

/// <summary>
/// Keeps what a scenario run produced in an embedded ClickHouse (chDB) data directory, written by the production sink:
/// the replayed objects, events and log lines, the signals, incidents and diagnoses go to the catalog topics of a
/// private embedded Kafka, and <see cref="ClickHouseSink"/> writes them into the migrated tables. <c>chasi diagnose</c>
/// (and Grafana, and SQL) read them back from there.
/// </summary>
internal static class ScenarioStore
{
    public static async Task<long> WriteAsync(IReadOnlyList<ScenarioResult> results, ClickHouseOptions clickHouse, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2 });
        cluster.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var kafka = new KafkaClientFactory(Options.Create(kafkaOptions), loggerFactory);
        var produced = await ProduceAsync(kafka, results, cancellationToken);

        var options = Options.Create(clickHouse);
        var store = new ChDbStore(options, loggerFactory.CreateLogger<ChDbStore>());
        await new ClickHouseSchemaMigrator(store, options, TimeProvider.System, loggerFactory.CreateLogger<ClickHouseSchemaMigrator>()).MigrateAsync(cancellationToken);
        await KeepEverythingAsync(store, clickHouse.Database, cancellationToken);
        var sink = new ClickHouseSink(kafka, store, Options.Create(new ClickHouseSinkOptions { MaxBatchDelay = TimeSpan.FromMilliseconds(200) }), options, TimeProvider.System, loggerFactory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = sink.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        // Every record is either written or dead-lettered with its reason (the sink's DLQ), never silently dropped.
        while (sink.Handled + sink.DeadLettered < produced && !running.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the sink wrote {sink.Handled} and dead-lettered {sink.DeadLettered} of {produced} records in two minutes");
            }

            await Task.Delay(100, cancellationToken);
        }

        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose once every record was written.
        }

        if (sink.DeadLettered > 0)
        {
            throw new InvalidDataException($"the sink dead-lettered {sink.DeadLettered} of {produced} records (see chasi.dlq.v1); run with --verbose for the reasons");
        }

        return sink.Handled;
    }

    private const string Component = "scenario-store";

    /// <summary>
    /// Removes the tables' retention TTLs: a scenario's clock lies in the past, and ClickHouse drops expired rows as it
    /// writes them, so a three-day log TTL would keep nothing of a scenario from March.
    /// </summary>
    private static async Task KeepEverythingAsync(ChDbStore store, string database, CancellationToken cancellationToken)
    {
        var tables = await store.QueryAsync($"SELECT name FROM system.tables WHERE database = '{database}' AND engine_full LIKE '% TTL %'", cancellationToken);
        foreach (var row in tables)
        {
            await store.ExecuteAsync($"ALTER TABLE {database}.{row[0]} REMOVE TTL", cancellationToken);
        }
    }

    private static async Task<long> ProduceAsync(KafkaClientFactory kafka, IReadOnlyList<ScenarioResult> results, CancellationToken cancellationToken)
    {
        long produced = 0;
        using var objects = kafka.CreateProducer<ObjectRecord>(Component);
        using var events = kafka.CreateProducer<KubeEvent>(Component);
        using var logs = kafka.CreateProducer<LogRecord>(Component);
        using var signals = kafka.CreateProducer<Signal>(Component);
        using var incidents = kafka.CreateProducer<Incident>(Component);
        using var diagnoses = kafka.CreateProducer<ChasiSre.Schemas.V1.Diagnosis>(Component);
        foreach (var result in results)
        {
            foreach (var record in result.Records)
            {
                switch (record.InputCase)
                {
                    case DetectionInput.InputOneofCase.Object:
                        var reference = record.Object.Snapshot?.Ref ?? record.Object.Tombstone.Ref;
                        await objects.ProduceAsync(TopicCatalog.Objects, RecordKeys.ForObject(reference), record.Object, cancellationToken);
                        break;
                    case DetectionInput.InputOneofCase.Event:
                        await events.ProduceAsync(TopicCatalog.Events, RecordKeys.ForObject(record.Event.Involved), record.Event, cancellationToken);
                        break;
                    case DetectionInput.InputOneofCase.Log:
                        await logs.ProduceAsync(TopicCatalog.Logs, RecordKeys.ForObject(record.Log.Source), record.Log, cancellationToken);
                        break;
                    default:
                        continue;
                }

                produced++;
            }

            foreach (var incident in result.Incidents)
            {
                foreach (var signal in incident.Signals)
                {
                    await signals.ProduceAsync(TopicCatalog.Signals, RecordKeys.ForObject(signal.Subject), signal, cancellationToken);
                    produced++;
                }

                await incidents.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, cancellationToken);
                await diagnoses.ProduceAsync(TopicCatalog.Diagnoses, incident.Id, result.Diagnoses[incident.Id].Diagnosis, cancellationToken);
                produced += 2;
            }
        }

        return produced;
    }
}
