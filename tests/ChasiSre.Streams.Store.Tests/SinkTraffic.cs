using System.Collections.Concurrent;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>
/// The pipeline's traffic into the sink: record number <c>n</c> goes to each of the six topics the sink
/// consumes (one row per table, distinct for every <c>n</c>), through idempotent producers that buffer and
/// retry while a broker is down. Keeps what the cluster acknowledged, and on which partition.
/// </summary>
internal sealed class SinkTraffic : IDisposable
{
    private readonly RecordProducer<ObjectRecord> objects;
    private readonly RecordProducer<KubeEvent> events;
    private readonly RecordProducer<LogRecord> logs;
    private readonly RecordProducer<Signal> signals;
    private readonly RecordProducer<Incident> incidents;
    private readonly RecordProducer<Diagnosis> diagnoses;
    private readonly ConcurrentDictionary<(string Topic, int N), int> acknowledged = new();
    private readonly ConcurrentQueue<string> failures = new();
    private long sent;

    public SinkTraffic(KafkaClientFactory factory)
    {
        objects = factory.CreateProducer<ObjectRecord>("store-tests");
        events = factory.CreateProducer<KubeEvent>("store-tests");
        logs = factory.CreateProducer<LogRecord>("store-tests");
        signals = factory.CreateProducer<Signal>("store-tests");
        incidents = factory.CreateProducer<Incident>("store-tests");
        diagnoses = factory.CreateProducer<Diagnosis>("store-tests");
    }

    /// <summary>The topics a record number goes to, in the order of <see cref="Tables"/>.</summary>
    public static IReadOnlyList<TopicDefinition> Topics { get; } =
        [TopicCatalog.Objects, TopicCatalog.Events, TopicCatalog.Logs, TopicCatalog.Signals, TopicCatalog.Incidents, TopicCatalog.Diagnoses];

    /// <summary>The sink's table of each of <see cref="Topics"/>.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["objects", "k8s_events", "logs", "signals", "incidents", "diagnoses"];

    /// <summary>Records handed to the producers so far (six per record number).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Records the cluster acknowledged so far.</summary>
    public int Acknowledged => acknowledged.Count;

    /// <summary>Delivery failures (a record the producer gave up on), as "topic n: reason".</summary>
    public IReadOnlyCollection<string> Failures => failures;

    /// <summary>The record numbers of <paramref name="topic"/> acknowledged so far, with the partition each landed on.</summary>
    public IReadOnlyDictionary<int, int> AcknowledgedOf(TopicDefinition topic) =>
        acknowledged.Where(a => a.Key.Topic == topic.Name).ToDictionary(a => a.Key.N, a => a.Value);

    /// <summary>Sends record number <paramref name="n"/> to every topic; to <paramref name="partition"/> when given, else by key.</summary>
    public void Send(int n, int? partition = null)
    {
        Send(objects, TopicCatalog.Objects, $"o{n}", Records.Snapshot(n, 1000 + n), n, partition);
        Send(events, TopicCatalog.Events, $"e{n}", Records.Event(n), n, partition);
        Send(logs, TopicCatalog.Logs, $"l{n}", Records.Log(n), n, partition);
        Send(signals, TopicCatalog.Signals, $"s{n}", Records.Signal(n), n, partition);
        Send(incidents, TopicCatalog.Incidents, $"inc-{n}", Records.Incident($"inc-{n}", 1, IncidentState.Open), n, partition);
        Send(diagnoses, TopicCatalog.Diagnoses, $"inc-{n}", Records.Diagnosis($"inc-{n}", 1), n, partition);
    }

    /// <summary>Sends record numbers <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public void SendRange(int from, int to)
    {
        for (var n = from; n < to; n++)
        {
            Send(n);
        }
    }

    /// <summary>
    /// Sends record numbers from <paramref name="from"/> on, <paramref name="perPause"/> at a time with
    /// <paramref name="pause"/> between, until <paramref name="stopSending"/> is cancelled; returns the next
    /// record number (the first one not sent).
    /// </summary>
    public async Task<int> SendUntilAsync(int from, int perPause, TimeSpan pause, CancellationToken stopSending, CancellationToken cancellationToken)
    {
        var n = from;
        while (!stopSending.IsCancellationRequested)
        {
            for (var i = 0; i < perPause; i++, n++)
            {
                Send(n);
            }

            await Task.Delay(pause, cancellationToken);
        }

        return n;
    }

    /// <summary>Waits until every record sent so far was acknowledged or failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await Task.Run(
            () =>
            {
                objects.Client.Flush(cancellationToken);
                events.Client.Flush(cancellationToken);
                logs.Client.Flush(cancellationToken);
                signals.Client.Flush(cancellationToken);
                incidents.Client.Flush(cancellationToken);
                diagnoses.Client.Flush(cancellationToken);
            },
            cancellationToken);
    }

    public void Dispose()
    {
        objects.Dispose();
        events.Dispose();
        logs.Dispose();
        signals.Dispose();
        incidents.Dispose();
        diagnoses.Dispose();
    }

    private void Send<T>(RecordProducer<T> producer, TopicDefinition topic, string key, T value, int n, int? partition)
        where T : class, IMessage<T>, new()
    {
        void Delivered(DeliveryReport<string, T?> report)
        {
            if (report.Status == PersistenceStatus.Persisted)
            {
                acknowledged[(topic.Name, n)] = report.Partition.Value;
            }
            else
            {
                failures.Enqueue($"{topic.Name} {n}: {report.Status} {report.Error.Reason}");
            }
        }

        if (partition is { } p)
        {
            // The serializer adds the schema headers, as RecordProducer does.
            producer.Client.Produce(new TopicPartition(topic.Name, p), new Message<string, T?> { Key = key, Value = value, Headers = [] }, Delivered);
        }
        else
        {
            producer.Produce(topic, key, value, Delivered);
        }

        Interlocked.Increment(ref sent);
    }
}
