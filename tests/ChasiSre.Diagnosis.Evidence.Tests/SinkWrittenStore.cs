using System.Collections.Concurrent;
using ChasiSre.Diagnosis.Evidence.Tests;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PersistenceStatus = Confluent.Kafka.PersistenceStatus;

[assembly: AssemblyFixture(typeof(SinkWrittenStore))]

namespace ChasiSre.Diagnosis.Evidence.Tests;

/// <summary>
/// The real chDB engine (once per process: one data path) holding a migrated database that the real ClickHouse sink
/// filled from an embedded Kafka cluster: the records of <see cref="Pipeline"/>'s incident, plus the records the
/// evidence source must leave out (another tenant's vCluster with the same names, an unrelated pod, records outside
/// the time window, a newer snapshot observed after the incident). Times are shifted to two hours ago so the tables'
/// TTLs keep every row. Fails (does not skip) when libchdb.so is missing.
/// </summary>
public sealed class SinkWrittenStore : IAsyncLifetime
{
    public const string OtherTenant = "team-b";
    public const string OtherHostNamespace = "vcluster-team-b";
    public const string QuotedName = @"o'brien\cfg";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "chasisre-evidence-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ChDbStore Store { get; private set; } = null!;

    public string Database { get; } = $"evidence_{Guid.NewGuid():N}";

    /// <summary>How far every record time was moved (from <see cref="Pipeline.At"/> to two hours ago).</summary>
    public TimeSpan Shift { get; private set; }

    /// <summary>Pipeline's incident, at the shifted times.</summary>
    public Incident Incident(Action<Incident>? change = null)
    {
        var incident = Pipeline.Incident(Pipeline.CrashSignal());
        incident.OpenedAt = Move(incident.OpenedAt);
        incident.UpdatedAt = Move(incident.UpdatedAt);
        foreach (var signal in incident.Signals)
        {
            signal.FirstSeen = Move(signal.FirstSeen);
            signal.LastSeen = Move(signal.LastSeen);
        }

        change?.Invoke(incident);
        return incident;
    }

    public ClickHouseEvidenceSource Source(ClickHouseEvidenceSourceOptions? options = null) =>
        new(Store, Options.Create(ClickHouseOptions()), Options.Create(options ?? new ClickHouseEvidenceSourceOptions()), TimeProvider.System, NullLogger<ClickHouseEvidenceSource>.Instance);

    public ClickHouseOptions ClickHouseOptions() => new() { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, Database = Database };

    public async ValueTask InitializeAsync()
    {
        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        var ct = TestContext.Current.CancellationToken;
        var now = TimeProvider.System.GetUtcNow();
        var baseTime = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddHours(-2);
        Shift = baseTime - Pipeline.At;

        Store = new ChDbStore(Options.Create(ClickHouseOptions()), NullLogger<ChDbStore>.Instance);
        await new ClickHouseSchemaMigrator(Store, Options.Create(ClickHouseOptions()), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance).MigrateAsync(ct);

        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2, ReplicationFactor = 1 });
        kafka.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, HandlerRetryDelay = TimeSpan.FromMilliseconds(50), MaxHandlerAttempts = 2 };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        var objects = Objects().ToList();
        var events = Events().ToList();
        var logs = Logs().ToList();
        var signals = Signals().ToList();
        await ProduceAsync(factory, TopicCatalog.Objects, objects.Select(o => (Key(o), o)), ct);
        await ProduceAsync(factory, TopicCatalog.Events, events.Select(e => (RecordKeys.ForObject(e.Involved), e)), ct);
        await ProduceAsync(factory, TopicCatalog.Logs, logs.Select(l => (RecordKeys.ForObject(l.Source), l)), ct);
        await ProduceAsync(factory, TopicCatalog.Signals, signals.Select(s => (RecordKeys.ForObject(s.Subject), s)), ct);

        var sink = new ClickHouseSink(
            factory,
            Store,
            Options.Create(new ClickHouseSinkOptions { GroupId = "evidence-tests-sink", MaxBatchRows = 1000, MaxBatchDelay = TimeSpan.FromMilliseconds(100) }),
            Options.Create(ClickHouseOptions()),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = sink.RunAsync(stop.Token);
        await WaitForRowsAsync("objects", objects.Count, ct);
        await WaitForRowsAsync("k8s_events", events.Count, ct);
        await WaitForRowsAsync("logs", logs.Count, ct);
        await WaitForRowsAsync("signals", signals.Count, ct);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), ct);
        if (sink.DeadLettered > 0)
        {
            throw new InvalidOperationException($"The sink dead-lettered {sink.DeadLettered} test record(s).");
        }
    }

    public async ValueTask DisposeAsync() =>
        await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {Database} SYNC", CancellationToken.None);

    // Every version written: the incident's objects, the twin, the node, the other tenant's look-alikes, an unrelated pod.
    private IEnumerable<ObjectRecord> Objects()
    {
        ObjectRecord Snap(ObjectSnapshot s)
        {
            s.ObservedAt = Move(s.ObservedAt);
            s.CreatedAt = Move(s.CreatedAt);
            return new ObjectRecord { Snapshot = s };
        }

        yield return Snap(Pipeline.DeploymentSnapshot(100, 20));
        yield return Snap(Pipeline.DeploymentSnapshot(120, 240));
        yield return Snap(Pipeline.PodSnapshot(110, 100, restarts: 1));
        yield return Snap(Pipeline.PodSnapshot(130, 250, restarts: 5));
        // Observed three hours later: after the incident, so not its state.
        yield return Snap(Pipeline.PodSnapshot(150, 10_800, restarts: 9));
        yield return new ObjectRecord { Tombstone = new ObjectTombstone { Ref = Pipeline.Pod(), ResourceVersion = "140", DeletedAt = Move(Pipeline.Time(260)) } };
        yield return Snap(Pipeline.Snapshot(Pipeline.HostTwin(), 131, 251, new System.Text.Json.Nodes.JsonObject { ["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Running", ["hostIP"] = "10.0.0.11" } }));
        yield return Snap(Pipeline.SecretSnapshot(plantValues: false));
        yield return Snap(Pipeline.NodeSnapshot());
        yield return Snap(Pipeline.DeploymentSnapshot(999, 240, OtherTenant, OtherHostNamespace));
        yield return Snap(Pipeline.PodSnapshot(999, 250, restarts: 77, tenant: OtherTenant, hostNamespace: OtherHostNamespace));
        yield return Snap(Pipeline.PodSnapshot(200, 250, restarts: 42, name: "frontend-5b7d9-abcde"));
        yield return Snap(Pipeline.Snapshot(Pipeline.Virtual("ConfigMap", QuotedName), 300, 200, new System.Text.Json.Nodes.JsonObject { ["dataKeys"] = new System.Text.Json.Nodes.JsonArray("quote'key") }));
    }

    private IEnumerable<KubeEvent> Events()
    {
        var otherPod = Pipeline.Pod(tenant: OtherTenant, hostNamespace: OtherHostNamespace);
        var events = new List<KubeEvent>
        {
            // The same event observed twice: count 5, then 12.
            Pipeline.Event("ev-backoff", "BackOff", "Back-off restarting failed container app in pod " + Pipeline.PodName, "Warning", 5, 30, 90),
        };
        events.AddRange(Pipeline.CrashEvents());
        // A day before the incident: outside the window.
        events.Add(Pipeline.Event("ev-old", "FailedMount", "old news", "Warning", 1, -86_400, -86_400));
        events.Add(Pipeline.Event("ev-other-tenant", "BackOff", "team-b's own back-off", "Warning", 7, 30, 240, otherPod));
        foreach (var e in events)
        {
            e.FirstSeen = Move(e.FirstSeen);
            e.LastSeen = Move(e.LastSeen);
            yield return e;
        }
    }

    private IEnumerable<LogRecord> Logs()
    {
        var logs = new List<LogRecord>(Pipeline.CrashLogs())
        {
            Pipeline.Log("log-frontend", 100, LogLevel.Error, "frontend's own error", previous: false, Pipeline.Pod("frontend-5b7d9-abcde")),
            Pipeline.Log("log-too-early", -4_000, LogLevel.Error, "an error long before the incident", previous: true),
            Pipeline.Log("log-other-tenant", 12, LogLevel.Fatal, "team-b private failure", previous: true, Pipeline.Pod(tenant: OtherTenant, hostNamespace: OtherHostNamespace)),
        };
        foreach (var l in logs)
        {
            l.At = Move(l.At);
            yield return l;
        }
    }

    private IEnumerable<Signal> Signals()
    {
        var signals = new List<Signal>
        {
            Pipeline.CrashSignal(),
            Pipeline.AnomalySignal(),
            Pipeline.AnomalySignal("sig-other-tenant", Pipeline.Pod(tenant: OtherTenant, hostNamespace: OtherHostNamespace)),
        };
        var old = Pipeline.AnomalySignal("sig-old");
        old.FirstSeen = Pipeline.Time(-90_000);
        old.LastSeen = Pipeline.Time(-86_400);
        signals.Add(old);
        foreach (var s in signals)
        {
            s.FirstSeen = Move(s.FirstSeen);
            s.LastSeen = Move(s.LastSeen);
            yield return s;
        }
    }

    private Timestamp? Move(Timestamp? at) => at is null ? null : Timestamp.FromDateTimeOffset(at.ToDateTimeOffset() + Shift);

    private static string Key(ObjectRecord record) => RecordKeys.ForObject(record.Snapshot?.Ref ?? record.Tombstone.Ref);

    private static async Task ProduceAsync<T>(KafkaClientFactory factory, TopicDefinition topic, IEnumerable<(string Key, T Value)> records, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        using var producer = factory.CreateProducer<T>("evidence-tests");
        var failed = new ConcurrentQueue<string>();
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
        if (!failed.IsEmpty)
        {
            throw new InvalidOperationException("Records were not persisted: " + string.Join("; ", failed));
        }
    }

    private async Task WaitForRowsAsync(string table, int expected, CancellationToken cancellationToken)
    {
        var stopAt = TimeProvider.System.GetUtcNow() + Deadline;
        ulong seen = 0;
        while (TimeProvider.System.GetUtcNow() < stopAt)
        {
            var rows = await Store.QueryAsync($"SELECT count() AS n FROM {Database}.{table} FINAL", cancellationToken);
            seen = rows[0].Get<ulong>("n");
            if (seen >= (ulong)expected)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{table}: {seen} rows after FINAL within {Deadline}, expected {expected}.");
    }
}
