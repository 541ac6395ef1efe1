using System.Text;
using ChasiSre.Executor;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Safety.Tests;

/// <summary>
/// The executor's real flow (<see cref="ExecutorService"/>, registered with <c>AddActionExecutor</c>) over the corpus's
/// incidents and diagnoses, under one policy: its own embedded Kafka cluster (the executor rebuilds its ledger from
/// <c>chasi.actions.v1</c>, so each policy gets a fresh log), one apiserver simulator per cluster a proposal targets,
/// holding every object the scenarios apply there, and a clock fixed at <see cref="ProposalGate.Permissive"/>. Returns
/// what it wrote on <c>chasi.actions.v1</c> and each simulator's resourceVersion before and after.
/// </summary>
internal static class ExecutorFlow
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    public static async Task<FlowResult> RunAsync(
        string policyFile,
        IReadOnlyList<CaseRun> runs,
        IReadOnlyList<(string IncidentId, ChasiSre.Schemas.V1.Diagnosis Diagnosis)> diagnoses,
        string directory,
        CancellationToken cancellationToken)
    {
        var targets = diagnoses.SelectMany(d => d.Diagnosis.Remediations).Where(r => r.Action.Length > 0 && r.Target is not null).Select(r => r.Target.Cluster).ToHashSet(StringComparer.Ordinal);
        var simulators = new Dictionary<string, ApiServerSimulator>(StringComparer.Ordinal);
        try
        {
            foreach (var name in targets.Order(StringComparer.Ordinal))
            {
                var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = name }, cancellationToken);
                simulators[name] = simulator;
                foreach (var apply in runs.SelectMany(r => ScenarioTimeline.Build(r.Scenario)).OfType<ApplyObject>().Where(a => a.Cluster == name && a.Kind != "Event"))
                {
                    simulator.Apply((System.Text.Json.Nodes.JsonObject)apply.Object.DeepClone());
                }
            }

            var before = simulators.ToDictionary(s => s.Key, s => s.Value.ResourceVersion, StringComparer.Ordinal);
            var kubeconfig = WriteKubeconfig(Path.Combine(directory, $"kubeconfig-{Guid.NewGuid():N}"), simulators.Values);

            using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2 });
            cluster.CreateCatalogTopics();
            var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1), HandlerRetryDelay = TimeSpan.FromMilliseconds(50) };
            foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
            {
                options.ConsumerProperties[key] = value;
            }

            var kafka = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
            using (var incidents = kafka.CreateProducer<Incident>(TopicCatalog.Components.Streams))
            {
                foreach (var incident in runs.SelectMany(r => r.Incidents))
                {
                    await incidents.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, cancellationToken);
                }
            }

            using (var producer = kafka.CreateProducer<ChasiSre.Schemas.V1.Diagnosis>(TopicCatalog.Components.Diagnosis))
            {
                foreach (var (id, diagnosis) in diagnoses)
                {
                    await producer.ProduceAsync(TopicCatalog.Diagnoses, id, diagnosis, cancellationToken);
                }
            }

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(kafka);
            services.AddSingleton<TimeProvider>(new FixedClock(ProposalGate.Permissive));
            services.AddActionExecutor().Configure(o =>
            {
                o.PolicyFile = policyFile;
                o.Kubeconfig = kubeconfig;
                o.GroupId = $"safety-executor-{Guid.NewGuid():N}";
                o.Instance = "safety";
                foreach (var name in simulators.Keys)
                {
                    o.Clusters[name] = name;
                }
            });
            await using var provider = services.BuildServiceProvider();
            var hosted = provider.GetServices<IHostedService>().ToList();
            foreach (var service in hosted)
            {
                await service.StartAsync(cancellationToken);
            }

            List<ActionRecord> records;
            try
            {
                var expected = diagnoses.SelectMany(d => d.Diagnosis.Remediations.Where(r => r.Action.Length > 0).Select(r => (d.IncidentId, d.Diagnosis.IncidentRevision, r.Id))).Distinct().Count();
                records = await ReadActionsAsync(kafka, expected, cancellationToken);
            }
            finally
            {
                foreach (var service in Enumerable.Reverse(hosted))
                {
                    await service.StopAsync(CancellationToken.None);
                }
            }

            var after = simulators.ToDictionary(s => s.Key, s => s.Value.ResourceVersion, StringComparer.Ordinal);
            return new FlowResult(records, before, after);
        }
        finally
        {
            foreach (var simulator in simulators.Values)
            {
                await simulator.DisposeAsync();
            }
        }
    }

    /// <summary>Reads <c>chasi.actions.v1</c> until every expected action has a record past PROPOSED and the log is quiet.</summary>
    private static async Task<List<ActionRecord>> ReadActionsAsync(KafkaClientFactory kafka, int expected, CancellationToken cancellationToken)
    {
        using var consumer = kafka.CreateRawConsumer("safety-actions", $"safety-actions-{Guid.NewGuid():N}");
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Options.BootstrapServers }).Build())
        {
            var partitions = admin.GetMetadata(TopicCatalog.Actions.Name, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(TopicCatalog.Actions.Name, p.PartitionId, Offset.Beginning)));
        }

        var records = new List<ActionRecord>();
        var deadline = DateTime.UtcNow + Patience;
        var lastRecord = DateTime.UtcNow;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (consumer.Consume(TimeSpan.FromMilliseconds(100))?.Message is { Value: { } value })
                {
                    records.Add(ActionRecord.Parser.ParseFrom(value));
                    lastRecord = DateTime.UtcNow;
                    continue;
                }

                var decided = records.GroupBy(r => r.ActionId).Count(g => g.Any(r => r.Phase != ActionPhase.Proposed));
                if (decided >= expected && DateTime.UtcNow - lastRecord > Quiet)
                {
                    return records;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the executor decided {decided} of {expected} proposals within {Patience.TotalSeconds:0}s ({records.Count} records)");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>One kubeconfig, a context per simulated cluster named after it (the simulators take any token).</summary>
    private static string WriteKubeconfig(string path, IEnumerable<ApiServerSimulator> simulators)
    {
        var clusters = new StringBuilder("clusters:\n");
        var contexts = new StringBuilder("contexts:\n");
        var users = new StringBuilder("users:\n");
        foreach (var s in simulators)
        {
            clusters.Append($"- name: {s.ClusterName}\n  cluster:\n    server: {s.BaseAddress.GetLeftPart(UriPartial.Authority)}\n");
            contexts.Append($"- name: {s.ClusterName}\n  context:\n    cluster: {s.ClusterName}\n    user: {s.ClusterName}-simulator\n");
            users.Append($"- name: {s.ClusterName}-simulator\n  user:\n    token: chasi-simulator\n");
        }

        File.WriteAllText(path, $"apiVersion: v1\nkind: Config\n{clusters}{contexts}{users}preferences: {{}}\n");
        return path;
    }

    /// <summary>A clock that stays at one instant (timers still run on real time).</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
