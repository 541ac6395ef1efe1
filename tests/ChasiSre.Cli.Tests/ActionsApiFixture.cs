using ChasiSre.Api;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// The real API for <c>chasi actions</c>: Kestrel on 127.0.0.1 port 0 over chDB (a temp data directory) whose
/// <c>actions</c> table the real <see cref="ClickHouseSink"/> filled from an embedded Kafka cluster, which also takes
/// the API's requests. The records follow the executor's protocol: its steps by sequence (1, 2, ...), and a person's
/// request (sequence 0) answered by the executor's step whose actor is the requester. Tokens: <see cref="ApproverToken"/> (every tenant, approver) and <see cref="ViewerToken"/>.
/// </summary>
public sealed class ActionsApiFixture : IAsyncLifetime
{
    public const string Pending = "act-cli-pending";
    public const string PendingTwice = "act-cli-twice";
    public const string Verified = "act-cli-verified";

    /// <summary>The person whose approval request of <see cref="Verified"/> the executor answered.</summary>
    public const string Approver = "user:alice";

    public static readonly string ApproverToken = ApiTokenHasher.NewToken();
    public static readonly string ViewerToken = ApiTokenHasher.NewToken();

    private readonly string dataPath = ProcessChDb.DataPath;
    private EmbeddedKafkaCluster? kafka;
    private ChDbStore? store;
    private WebApplication? app;

    public Uri Address { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!ChDbLibrary.TryLoad(out _, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        var clickHouse = new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = dataPath, Database = "chasi_actions_cli" };
        store = new ChDbStore(Options.Create(clickHouse), NullLogger<ChDbStore>.Instance);
        await new ClickHouseSchemaMigrator(store, Options.Create(clickHouse), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance).MigrateAsync(ct);

        kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 1, ReplicationFactor = 1 });
        kafka.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        var records = Records(TimeProvider.System.GetUtcNow().AddHours(-1));
        using (var producer = factory.CreateProducer<ActionRecord>("cli-tests"))
        {
            foreach (var record in records)
            {
                await producer.ProduceAsync(TopicCatalog.Actions, record.ActionId, record, ct);
            }
        }

        var sink = new ClickHouseSink(
            factory, store, Options.Create(new ClickHouseSinkOptions { GroupId = "cli-tests-sink", MaxBatchDelay = TimeSpan.FromMilliseconds(50) }),
            Options.Create(clickHouse), TimeProvider.System, NullLoggerFactory.Instance);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var running = sink.RunAsync(stop.Token);
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
            while (sink.Handled < records.Count && !running.IsCompleted && TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(50, ct);
            }

            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30), ct);
            if (sink.Handled < records.Count)
            {
                throw new InvalidOperationException($"the sink wrote {sink.Handled} of {records.Count} action records");
            }
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "ChasiSre.Cli.Tests" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:Tokens:0:Name"] = "ops",
            ["Api:Tokens:0:Sha256"] = ApiTokenHasher.Hash(ApproverToken),
            ["Api:Tokens:0:Tenants:0"] = "*",
            ["Api:Tokens:0:Roles:0"] = "approver",
            ["Api:Tokens:1:Name"] = "reader",
            ["Api:Tokens:1:Sha256"] = ApiTokenHasher.Hash(ViewerToken),
            ["Api:Tokens:1:Tenants:0"] = "*",
        });
        builder.Services.AddSingleton<IClickHouseStore>(store);
        builder.Services.Configure<ClickHouseOptions>(o =>
        {
            o.EmbeddedDataPath = dataPath;
            o.Database = clickHouse.Database;
        });
        builder.Services.AddSingleton(factory);
        builder.Services.AddChasiApi(builder.Configuration);
        app = builder.Build();
        app.MapChasiApi();
        await app.StartAsync(ct);
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        kafka?.Dispose();
    }

    private static List<ActionRecord> Records(DateTimeOffset t0)
    {
        var remediation = new Remediation
        {
            Id = "action-1",
            Title = "restart web",
            Action = "rollout-restart",
            Risk = Risk.Medium,
            Target = new ObjectRef { Cluster = "vc-a", Tenant = "team-a", Layer = Layer.Virtual, ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "shop", Name = "web" },
        };
        var records = new List<ActionRecord>();
        foreach (var (id, n, phases) in new[]
        {
            (Pending, 0, new[] { ActionPhase.Proposed, ActionPhase.PendingApproval }),
            (PendingTwice, 1, new[] { ActionPhase.Proposed, ActionPhase.PendingApproval }),
            (Verified, 2, new[] { ActionPhase.Proposed, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.Verified }),
        })
        {
            for (var i = 0; i < phases.Length; i++)
            {
                var record = new ActionRecord
                {
                    ActionId = id,
                    IncidentId = "inc-cli-crashloop",
                    Tenant = "team-a",
                    Phase = phases[i],
                    Remediation = remediation,
                    Actor = phases[i] switch
                    {
                        ActionPhase.PendingApproval => "policy:restarts-need-approval",
                        ActionPhase.Approved => Approver,
                        _ => "executor",
                    },
                    At = Timestamp.FromDateTimeOffset(t0.AddMinutes(n).AddSeconds(i)),
                    IncidentRevision = 1,
                    Sequence = i + 1,
                    Decision = phases[i] == ActionPhase.PendingApproval ? "approval" : "",
                    PolicyRule = phases[i] == ActionPhase.PendingApproval ? "restarts-need-approval" : "",
                    Diff = phases[i] == ActionPhase.PendingApproval ? "+  restartedAt: now" : "",
                };
                records.Add(record);
            }
        }

        // The person's request the executor answered with its APPROVED step: sequence 0, as ActionDecisions.Request builds it.
        records.Add(new ActionRecord
        {
            ActionId = Verified,
            Phase = ActionPhase.Approved,
            Actor = Approver,
            Reason = "diff checked",
            Sequence = 0,
            At = Timestamp.FromDateTimeOffset(t0.AddMinutes(2).AddSeconds(1.5)),
        });

        return records;
    }
}
