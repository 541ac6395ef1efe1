using System.Globalization;
using ChasiSre.Api.Tests;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Inference;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ApiFixture))]

namespace ChasiSre.Api.Tests;

/// <summary>
/// The real parts, once per test assembly: an embedded Kafka cluster (the catalog's topics, alerts included), chDB with
/// a migrated database holding <see cref="SeedData"/> (incidents, diagnoses, action trails) written by the real <see cref="ClickHouseSink"/>, and a knowledge
/// base on the MiniLM encoder with a shared runbook and a private document of each tenant. Tests start their own API
/// host on these (<see cref="ApiHost"/>) and never write to the database. Fails (does not skip) when a native part is missing.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private static readonly TimeSpan SinkPatience = TimeSpan.FromSeconds(90);

    /// <summary>Opening time of the first seeded incident: recent, so the tables' TTLs keep the rows.</summary>
    public DateTimeOffset T0 { get; } = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().AddHours(-3).ToUnixTimeSeconds());

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "chasisre-api-tests", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public ChDbStore Store { get; private set; } = null!;

    public ClickHouseOptions ClickHouse { get; private set; } = null!;

    public EmbeddedKafkaCluster Kafka { get; private set; } = null!;

    public KafkaOptions KafkaOptions { get; private set; } = null!;

    public KafkaClientFactory KafkaFactory { get; private set; } = null!;

    public MiniLmEmbeddingGenerator Embeddings { get; } = new(new MiniLmOptions { IntraOpThreads = 2 });

    public KnowledgeBaseProvider Knowledge { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        ClickHouse = new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, Database = $"api_{Guid.NewGuid():N}" };
        Store = new ChDbStore(Options.Create(ClickHouse), NullLogger<ChDbStore>.Instance);
        await new ClickHouseSchemaMigrator(Store, Options.Create(ClickHouse), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance).MigrateAsync(ct);

        Kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 3, ReplicationFactor = 1 });
        Kafka.CreateCatalogTopics();
        KafkaOptions = new KafkaOptions { BootstrapServers = Kafka.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            KafkaOptions.ConsumerProperties[key] = value;
        }

        KafkaFactory = new KafkaClientFactory(Options.Create(KafkaOptions), NullLoggerFactory.Instance);
        await SeedThroughSinkAsync(ct);

        Knowledge = new KnowledgeBaseProvider(new KnowledgeBaseOptions(), Embeddings);
        var kb = await Knowledge.GetAsync(ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/crashloop-backoff.md", "# CrashLoopBackOff\n\n## Confirm\n\nBack-off restarting failed container: the container exits soon after it starts. Check the previous container's logs.\n"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("private/team-a-payments.md", "# Payments gateway\n\n## Restart\n\nThe payments gateway of team a restarts with the vault token rotation.\n", DocumentFormat.Markdown, "team-a", KnowledgeVisibility.Private), ct);
        await kb.UpsertAsync(new KnowledgeDocument("private/team-b-payments.md", "# Payments ledger\n\n## Restart\n\nThe payments ledger of team b restarts with the vault token rotation.\n", DocumentFormat.Markdown, "team-b", KnowledgeVisibility.Private), ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Knowledge.DisposeAsync();
        Embeddings.Dispose();
        Kafka.Dispose();
        await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {ClickHouse.Database} SYNC", CancellationToken.None);
    }

    private async Task SeedThroughSinkAsync(CancellationToken cancellationToken)
    {
        var incidents = SeedData.Incidents(T0);
        var diagnoses = SeedData.Diagnoses(T0);
        var actions = SeedData.Actions(T0);
        using (var producer = KafkaFactory.CreateProducer<Incident>("api-tests"))
        {
            foreach (var incident in incidents)
            {
                await producer.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, cancellationToken);
            }
        }

        using (var producer = KafkaFactory.CreateProducer<Schemas.V1.Diagnosis>("api-tests"))
        {
            foreach (var diagnosis in diagnoses)
            {
                await producer.ProduceAsync(TopicCatalog.Diagnoses, diagnosis.IncidentId, diagnosis, cancellationToken);
            }
        }

        using (var producer = KafkaFactory.CreateProducer<ActionRecord>("api-tests"))
        {
            foreach (var action in actions)
            {
                await producer.ProduceAsync(TopicCatalog.Actions, action.ActionId, action, cancellationToken);
            }
        }

        var sink = new ClickHouseSink(
            KafkaFactory,
            Store,
            Options.Create(new ClickHouseSinkOptions { GroupId = $"api-tests-sink-{Guid.NewGuid():N}", MaxBatchDelay = TimeSpan.FromMilliseconds(50) }),
            Options.Create(ClickHouse),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = sink.RunAsync(stop.Token);
        var produced = incidents.Count + diagnoses.Count + actions.Count;
        var deadline = TimeProvider.System.GetUtcNow() + SinkPatience;
        while (sink.Handled + sink.DeadLettered < produced && !running.IsCompleted)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"the sink wrote {sink.Handled} of {produced} records in {SinkPatience}");
            }

            await Task.Delay(50, cancellationToken);
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        if (sink.DeadLettered > 0)
        {
            throw new InvalidOperationException($"the sink dead-lettered {sink.DeadLettered} seed records");
        }
    }
}
