using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>
/// Writes incidents and diagnoses the way production does: onto the catalog topics of a private embedded Kafka cluster,
/// from which the real <see cref="ClickHouseSink"/> inserts them into the migrated tables.
/// </summary>
internal static class SinkWriter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task WriteAsync(IClickHouseStore store, ClickHouseOptions clickHouse, IReadOnlyList<Incident> incidents, IReadOnlyList<Schemas.V1.Diagnosis> diagnoses, CancellationToken cancellationToken)
    {
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2, ReplicationFactor = 1 });
        cluster.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var kafka = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        using (var producer = kafka.CreateProducer<Incident>("kb-sources-tests"))
        {
            foreach (var incident in incidents)
            {
                await producer.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, cancellationToken);
            }
        }

        using (var producer = kafka.CreateProducer<Schemas.V1.Diagnosis>("kb-sources-tests"))
        {
            foreach (var diagnosis in diagnoses)
            {
                await producer.ProduceAsync(TopicCatalog.Diagnoses, diagnosis.IncidentId, diagnosis, cancellationToken);
            }
        }

        var produced = incidents.Count + diagnoses.Count;
        var sink = new ClickHouseSink(
            kafka,
            store,
            Options.Create(new ClickHouseSinkOptions { GroupId = $"kb-sources-sink-{Guid.NewGuid():N}", MaxBatchDelay = TimeSpan.FromMilliseconds(50) }),
            Options.Create(clickHouse),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = sink.RunAsync(stop.Token);
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (sink.Handled + sink.DeadLettered < produced && !running.IsCompleted)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"the sink wrote {sink.Handled} of {produced} records in {Patience}");
            }

            await Task.Delay(50, cancellationToken);
        }

        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose once every record was written.
        }

        if (sink.DeadLettered > 0)
        {
            throw new InvalidOperationException($"the sink dead-lettered {sink.DeadLettered} test records");
        }
    }
}
