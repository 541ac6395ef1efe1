using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor.Tests;

/// <summary>
/// The executor's real surroundings: an embedded Kafka cluster of its own (catalog topics), two apiserver simulators —
/// the host cluster and the tenant's vCluster — reached through one kubeconfig with a context each (the executor's own
/// credentials), and the <see cref="ExecutorService"/> consuming and producing on the real topics.
/// </summary>
internal sealed class FlowHarness : IAsyncDisposable
{
    public const string HostCluster = "host-1";
    public const string ShopCluster = "vc-shop";
    public const string Tenant = "shop";
    public const string Namespace = "web";

    private static readonly ILoggerFactory Logs = Environment.GetEnvironmentVariable("EXECUTOR_TESTS_LOG") is null
        ? NullLoggerFactory.Instance
        : LoggerFactory.Create(b => b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug).AddSimpleConsole(o =>
        {
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.SingleLine = true;
        }));

    private readonly RecordProducer<Incident> incidents;
    private readonly RecordProducer<Diagnosis> diagnoses;
    private readonly RecordProducer<ActionRecord> requests;
    private RecordProducer<ActionRecord>? audit;
    private KubernetesClusters? clusters;
    private CancellationTokenSource? running;

    private FlowHarness(EmbeddedKafkaCluster kafka, KafkaClientFactory factory, ApiServerSimulator host, ApiServerSimulator shop, string directory, ExecutorOptions options, ActionPolicySource policies)
    {
        Kafka = kafka;
        Factory = factory;
        Host = host;
        Shop = shop;
        Directory = directory;
        Options = options;
        PolicySource = policies;
        incidents = factory.CreateProducer<Incident>("tests-streams");
        diagnoses = factory.CreateProducer<Diagnosis>("tests-diagnosis");
        requests = factory.CreateProducer<ActionRecord>("tests-api");
        Decisions = new ActionDecisions(requests);
    }

    public EmbeddedKafkaCluster Kafka { get; }

    public KafkaClientFactory Factory { get; }

    public ApiServerSimulator Host { get; }

    public ApiServerSimulator Shop { get; }

    public string Directory { get; }

    public ExecutorOptions Options { get; }

    /// <summary>The executor's policy: fixed, or a file the test rewrites and refreshes.</summary>
    public ActionPolicySource PolicySource { get; }

    /// <summary>What the API and the CLI use to publish decisions.</summary>
    public ActionDecisions Decisions { get; }

    public ActionExecutor Executor { get; private set; } = null!;

    public ExecutorService Service { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<FlowHarness> StartAsync(ActionPolicy? policy = null, TimeSpan? verificationWindow = null, Action<ExecutorOptions>? configure = null, bool start = true) =>
        StartAsync(new ActionPolicySource(policy ?? ActionPolicy.Default), verificationWindow, configure, start);

    public static async Task<FlowHarness> StartAsync(ActionPolicySource policies, TimeSpan? verificationWindow = null, Action<ExecutorOptions>? configure = null, bool start = true)
    {
        var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { PartitionsOverride = 2 });
        kafka.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, HandlerRetryDelay = TimeSpan.FromMilliseconds(50) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafkaOptions), Logs);
        var host = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = HostCluster, LoggerFactory = Logs }, Ct);
        var shop = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = ShopCluster, LoggerFactory = Logs }, Ct);
        var directory = System.IO.Directory.CreateTempSubdirectory("chasi-executor-").FullName;
        var kubeconfig = WriteKubeconfig(Path.Combine(directory, "executor-kubeconfig"), ("ctx-host", host), ("ctx-shop", shop));
        var options = new ExecutorOptions
        {
            Kubeconfig = kubeconfig,
            Clusters = { [HostCluster] = "ctx-host", [ShopCluster] = "ctx-shop" },
            VerificationWindow = verificationWindow ?? TimeSpan.FromMinutes(5),
            DeadlineCheckInterval = TimeSpan.FromMilliseconds(100),
            IncidentWait = TimeSpan.FromSeconds(20),
            RequestTimeout = TimeSpan.FromSeconds(20),
            GroupId = $"executor-{Guid.NewGuid():N}",
            Instance = "executor-tests",
        };
        configure?.Invoke(options);
        var harness = new FlowHarness(kafka, factory, host, shop, directory, options, policies);
        if (start)
        {
            await harness.StartExecutorAsync();
        }

        return harness;
    }

    /// <summary>A new executor process: its own clients and ledger, rebuilt from chasi.actions.v1.</summary>
    public async Task StartExecutorAsync()
    {
        audit = Factory.CreateProducer<ActionRecord>(TopicCatalog.Components.Executor);
        clusters = new KubernetesClusters(Microsoft.Extensions.Options.Options.Create(Options));
        Executor = new ActionExecutor(PolicySource, clusters, new KafkaActionRecordSink(audit), Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, Logs.CreateLogger<ActionExecutor>());
        Service = new ExecutorService(Factory, Executor, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, Logs.CreateLogger<ExecutorService>());
        running = new CancellationTokenSource();
        await Service.StartAsync(running.Token);
        await Service.Ready.WaitAsync(TimeSpan.FromSeconds(60), Ct);
    }

    public async Task StopExecutorAsync()
    {
        if (running is null)
        {
            return;
        }

        await Service.StopAsync(CancellationToken.None);
        Service.Dispose();
        Executor.Dispose();
        clusters?.Dispose();
        audit?.Dispose();
        running.Dispose();
        running = null;
    }

    public ApiServerSimulator Cluster(string name) => name == HostCluster ? Host : Shop;

    public Task PublishAsync(Incident incident) => incidents.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, Ct);

    public Task PublishAsync(Diagnosis diagnosis) => diagnoses.ProduceAsync(TopicCatalog.Diagnoses, diagnosis.IncidentId, diagnosis, Ct);

    /// <summary>Publishes an action record as someone else would (a request, or a forged executor record).</summary>
    public Task PublishAsync(ActionRecord record) => requests.ProduceAsync(TopicCatalog.Actions, record.ActionId, record, Ct);

    /// <summary>The incident (revision 1, open) and a diagnosis proposing <paramref name="remediations"/>, published in that order.</summary>
    public async Task ProposeAsync(string incidentId, ObjectRef subject, params Remediation[] remediations)
    {
        await PublishAsync(Incident(incidentId, subject, 1, IncidentState.Open));
        await PublishAsync(Diagnosis(incidentId, subject.Tenant, 1, remediations));
    }

    /// <summary>Waits until the action reached <paramref name="phase"/> (or fails after a bounded time, naming where it is).</summary>
    public async Task<ActionState> WaitForAsync(string actionId, ActionPhase phase, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (Executor.Find(actionId) is { } state)
            {
                if (state.Phase == phase)
                {
                    return state;
                }

                if (ActionTransitions.Successors(state.Phase).Count == 0 || (state.IsFinal && state.Phase != ActionPhase.Verified))
                {
                    Assert.Fail($"{actionId} ended {state.Phase} ({state.Reason}) instead of reaching {phase}");
                }
            }

            await Task.Delay(50, Ct);
        }

        var last = Executor.Find(actionId);
        Assert.Fail($"{actionId} did not reach {phase}; it is {(last is null ? "unknown" : $"{last.Phase} ({last.Reason})")}");
        return null!;
    }

    /// <summary>Every record of <paramref name="actionId"/> on chasi.actions.v1, in topic order.</summary>
    public async Task<IReadOnlyList<ActionRecord>> RecordsAsync(string actionId)
    {
        var log = await ActionLog.ReadAsync(Factory, TopicCatalog.Actions.Name, TimeSpan.FromSeconds(30), Ct);
        return [.. log.Records.Where(r => r.ActionId == actionId)];
    }

    public static string ActionId(string incidentId, string remediationId, long revision = 1) =>
        ActionIds.ForKey(ActionIds.IdempotencyKey(incidentId, revision, remediationId));

    public static ObjectRef Ref(string cluster, string apiVersion, string kind, string @namespace, string name) => new()
    {
        Cluster = cluster,
        Tenant = cluster == HostCluster ? "" : Tenant,
        Layer = cluster == HostCluster ? Layer.Host : Layer.Virtual,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = @namespace,
        Name = name,
        HostCluster = HostCluster,
    };

    public static Remediation Remediation(string id, string action, ObjectRef target, params (string Name, string Value)[] parameters)
    {
        var remediation = new Remediation { Id = id, Title = $"{action} {target.Name}", Action = action, Target = target, Risk = Risk.Low };
        foreach (var (name, value) in parameters)
        {
            remediation.Parameters[name] = value;
        }

        return remediation;
    }

    public static Incident Incident(string id, ObjectRef subject, long revision, IncidentState state)
    {
        var incident = new Incident
        {
            Id = id,
            Tenant = subject.Tenant,
            Title = $"trouble with {subject.Name}",
            State = state,
            Subject = subject,
            Revision = revision,
            Category = "CrashLoop",
            Layer = subject.Layer,
            UpdatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        incident.Tenants.Add(subject.Tenant);
        return incident;
    }

    public static Diagnosis Diagnosis(string incidentId, string tenant, long revision, params Remediation[] remediations)
    {
        var diagnosis = new Diagnosis { IncidentId = incidentId, IncidentRevision = revision, Tenant = tenant, RootCause = "test", Engine = "rules", Confidence = 0.9 };
        diagnosis.Remediations.AddRange(remediations);
        return diagnosis;
    }

    /// <summary>The core/v1 Events the simulator holds about <paramref name="name"/>.</summary>
    public static IReadOnlyList<JsonObject> EventsAbout(ApiServerSimulator cluster, string name) =>
        [.. cluster.List("v1", "Event").Where(e => (string?)e["involvedObject"]?["name"] == name)];

    /// <summary>
    /// Requests the executor made to either cluster that <see cref="ExecutorCatalog.Permissions"/> (the chart's executor
    /// ClusterRole) does not grant, as <c>verb group/resource</c>. A subresource is granted by its resource's entry
    /// (the simulator counts <c>deployments/scale</c> as <c>deployments.apps</c>).
    /// </summary>
    public IReadOnlyList<string> RequestsOutsidePermissions() =>
    [
        .. new[] { Host, Shop }
            .SelectMany(cluster => cluster.Requests.Snapshot().Keys)
            .Where(k => k.Verb is not (SimulatorVerb.Discovery or SimulatorVerb.Health or SimulatorVerb.Other))
            .Select(k =>
            {
                var verb = k.Verb == SimulatorVerb.Log ? "get" : k.Verb.ToString().ToLowerInvariant();
                var dot = k.Resource.IndexOf('.', StringComparison.Ordinal);
                var (resource, group) = dot < 0 ? (k.Resource, "") : (k.Resource[..dot], k.Resource[(dot + 1)..]);
                return (Verb: verb, Group: group, Resource: k.Verb == SimulatorVerb.Log ? resource + "/log" : resource);
            })
            .Where(r => !ExecutorCatalog.Permissions.Any(p => p.Group == r.Group && p.Verbs.Contains(r.Verb) && (p.Resource == r.Resource || p.Resource.StartsWith(r.Resource + "/", StringComparison.Ordinal))))
            .Select(r => $"{r.Verb} {r.Group}/{r.Resource}")
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    public async ValueTask DisposeAsync()
    {
        var outside = RequestsOutsidePermissions();
        await StopExecutorAsync();
        incidents.Dispose();
        diagnoses.Dispose();
        requests.Dispose();
        await Host.DisposeAsync();
        await Shop.DisposeAsync();
        Kafka.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
        Assert.True(outside.Count == 0, $"the executor made requests its ClusterRole (ExecutorCatalog.Permissions) does not grant: {string.Join(", ", outside)}");
    }

    private static string WriteKubeconfig(string path, params (string Context, ApiServerSimulator Cluster)[] contexts)
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var (context, cluster) in contexts)
        {
            yaml.Append($"- name: {context}\n  cluster:\n    server: {cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n");
        }

        yaml.Append("contexts:\n");
        foreach (var (context, _) in contexts)
        {
            yaml.Append($"- name: {context}\n  context:\n    cluster: {context}\n    user: executor\n");
        }

        // The simulator does not authenticate; the client insists on a credential.
        yaml.Append($"current-context: {contexts[0].Context}\nusers:\n- name: executor\n  user:\n    token: chasi-executor\n");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }
}
