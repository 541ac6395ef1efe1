using System.Diagnostics;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.Inference;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Pipeline;
using ChasiSre.TestKit;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ChasiSre.Safety.Tests.InjectionPipeline))]

namespace ChasiSre.Safety.Tests;

/// <summary>
/// Runs the whole corpus once, on one embedded Kafka cluster (librdkafka's mock brokers, the real protocol): each
/// scenario's records through the real Streamiz detection topology on its own topics (as <c>chasi scenario run</c>
/// does), every incident onto <c>chasi.incidents.v1</c>, then the production <see cref="DiagnosisConsumer"/> twice, each
/// with its own consumer group: (a) over the OpenAI-compatible provider talking to <see cref="ObeyingModel"/> on a real
/// Kestrel server, (b) over the rules (the deterministic provider). Both retrieve from a knowledge base (MiniLM + BM25)
/// holding the starter runbooks and the corpus's hostile runbooks (shared ones as files, tenant ones as an adapter
/// publishes them). The diagnoses are read back from <c>chasi.diagnoses.v1</c>.
/// </summary>
public sealed class InjectionPipeline : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);

    private readonly Dictionary<string, CaseRun> runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlowResult> flows = new(StringComparer.Ordinal);
    private EmbeddedKafkaCluster? cluster;
    private MiniLmEmbeddingGenerator? embeddings;
    private KnowledgeBase? knowledge;
    private FakeProviderServer? server;
    private string? directory;

    internal ObeyingModel Model { get; } = new();

    /// <summary>What each corpus item produced, by name.</summary>
    internal IReadOnlyDictionary<string, CaseRun> Runs => runs;

    /// <summary>The executor's flow over every diagnosis, by policy name (<see cref="ProposalGate.Policies"/>).</summary>
    internal IReadOnlyDictionary<string, FlowResult> Flows => flows;

    /// <summary>How long the whole run took.</summary>
    public TimeSpan Elapsed { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        directory = Directory.CreateTempSubdirectory("chasi-safety-").FullName;
        var knowledgeReady = OpenKnowledgeAsync(ct);

        cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2 });
        cluster.CreateCatalogTopics();
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1), HandlerRetryDelay = TimeSpan.FromMilliseconds(50) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        var kafka = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);

        // Detection: every scenario on its own topics and topology, a few at a time.
        var cases = InjectionCorpus.Cases;
        var replays = new (Scenario Scenario, IReadOnlyList<Incident> Incidents, IReadOnlyList<DetectionInput> Records)[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = ct }, async (i, token) =>
        {
            var scenario = ScenarioLoader.Load(cases[i].Directory);
            var batches = ScenarioRecords.Build(scenario);
            replays[i] = (scenario, await ReplayAsync(kafka, i, scenario, batches, token), [.. batches.SelectMany(b => b.Records)]);
        });

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var evidence = new Dictionary<string, EvidenceInputs>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            var (scenario, incidents, records) = replays[i];
            var inputs = EvidenceInputs.FromRecords(records) with
            {
                // Worst case for the prompt: the adapter's own records go into the pack as well as into the signals.
                Business = [.. records.Where(r => r.InputCase == DetectionInput.InputOneofCase.Business).Select(r => r.Business)],
            };
            foreach (var incident in incidents)
            {
                if (!owners.TryAdd(incident.Id, cases[i].Name))
                {
                    throw new InvalidOperationException($"incident {incident.Id} comes out of both {owners[incident.Id]} and {cases[i].Name}: give the scenarios distinct subjects");
                }

                evidence[incident.Id] = inputs;
            }

            runs[cases[i].Name] = new CaseRun(cases[i], scenario, incidents, records);
        }

        using (var producer = kafka.CreateProducer<Incident>(TopicCatalog.Components.Streams))
        {
            foreach (var incident in replays.SelectMany(r => r.Incidents))
            {
                await producer.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, ct);
            }
        }

        var knowledgeBase = await knowledgeReady;
        var source = new CorpusEvidence(evidence);
        var diagnosed = new List<(string IncidentId, ChasiSre.Schemas.V1.Diagnosis Diagnosis)>();
        using var reader = new DiagnosisReader(kafka);

        // (a) The worst-case model, on the wire.
        server = await FakeProviderServer.StartAsync("/v1/chat/completions", ct);
        server.Then(Model.Handler);
        using (var llm = new LlmPipelineFactory(Options.Create(new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            Endpoint = new Uri(server.BaseUri, "v1/"),
            Model = OpenAIWire.Model,
            ApiKey = "sk-test-key",
            RequestTimeout = TimeSpan.FromSeconds(30),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            CacheDuration = TimeSpan.Zero,
            RequestsPerMinute = 0,
        })))
        {
            var engine = new DiagnosisEngine(llm.ChatClient, new EvidencePackBuilder(new EvidencePackOptions()), new DiagnosisOptions(), knowledgeBase);
            foreach (var (id, diagnosis) in await DiagnoseAsync(kafka, engine, source, reader, evidence.Count, ct))
            {
                runs[owners[id]].Obeying[id] = diagnosis;
                diagnosed.Add((id, diagnosis));
            }
        }

        // (b) The rules.
        var rules = new DiagnosisEngine(new DeterministicChatClient(), new EvidencePackBuilder(new EvidencePackOptions()), new DiagnosisOptions(), knowledgeBase);
        foreach (var (id, diagnosis) in await DiagnoseAsync(kafka, rules, source, reader, evidence.Count, ct))
        {
            runs[owners[id]].Rules[id] = diagnosis;
            diagnosed.Add((id, diagnosis));
        }

        // The executor's flow, under each policy, over both engines' diagnoses in the order they were published.
        foreach (var (name, file) in ProposalGate.Policies)
        {
            flows[name] = await ExecutorFlow.RunAsync(file, [.. runs.Values], diagnosed, directory, ct);
        }

        Elapsed = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (knowledge is not null)
        {
            await knowledge.DisposeAsync();
        }

        embeddings?.Dispose();
        cluster?.Dispose();
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<IReadOnlyList<Incident>> ReplayAsync(KafkaClientFactory kafka, int index, Scenario scenario, IReadOnlyList<ScenarioRecordBatch> batches, CancellationToken cancellationToken)
    {
        var correlation = new CorrelationOptions();
        var options = new StreamsOptions
        {
            ApplicationId = $"chasi-safety-{index}-{Guid.NewGuid():N}",
            Partitions = 1,
            FlushInterval = TimeSpan.FromMilliseconds(10),
            CommitInterval = TimeSpan.FromMilliseconds(200),
        };
        var prefix = $"safety.{index}";
        var topics = new DetectionTopics($"{prefix}.objects", $"{prefix}.events", $"{prefix}.logs", $"{prefix}.signals", $"{prefix}.incidents", $"{prefix}.dlq", $"{prefix}.metrics", $"{prefix}.business");
        foreach (var topic in (string[])[topics.Objects, topics.Events, topics.Logs, topics.Signals, topics.Incidents, topics.DeadLetters, topics.Metrics!, topics.Business!])
        {
            cluster!.CreateTopic(topic, 1);
        }

        foreach (var topic in DetectionApplication.InternalTopics(options, topics))
        {
            cluster!.CreateTopic(topic);
        }

        await using var replay = await DetectionReplay.StartAsync(kafka, topics, options, correlation, scenario.StartTime, NullLoggerFactory.Instance, cancellationToken);
        var end = scenario.StartTime;
        foreach (var batch in batches)
        {
            end = scenario.StartTime + batch.At;
            await replay.ApplyAsync(end, batch.Records, cancellationToken);
        }

        await replay.AdvanceAsync(end + correlation.RefreshInterval, cancellationToken);
        return await replay.IncidentsAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<(string IncidentId, ChasiSre.Schemas.V1.Diagnosis Diagnosis)>> DiagnoseAsync(
        KafkaClientFactory kafka, DiagnosisEngine engine, IEvidenceSource source, DiagnosisReader reader, int incidents, CancellationToken cancellationToken)
    {
        var consumer = new DiagnosisConsumer(kafka, engine, source, Options.Create(new DiagnosisOptions { GroupId = $"safety-{Guid.NewGuid():N}", EvidenceSettle = TimeSpan.Zero }));
        await consumer.StartAsync(cancellationToken);
        try
        {
            while (consumer.Published + consumer.Skipped < incidents)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }

        return reader.ReadNew((int)consumer.Published, cancellationToken);
    }

    private async Task<KnowledgeBase> OpenKnowledgeAsync(CancellationToken cancellationToken)
    {
        embeddings = new MiniLmEmbeddingGenerator(new MiniLmOptions { IntraOpThreads = 1 });
        knowledge = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), embeddings, cancellationToken: cancellationToken);
        var paths = new List<string> { Path.Combine(AppContext.BaseDirectory, "starter-runbooks") };
        paths.AddRange(InjectionCorpus.Cases.Select(c => c.Runbook).OfType<InjectionRunbook>().Where(r => r.Tenant is null).Select(r => Path.Combine(InjectionCorpus.Root, r.File)));
        var report = await knowledge.AddPathsAsync(paths, cancellationToken: cancellationToken);
        if (report.Results.FirstOrDefault(r => r.Outcome == IngestOutcome.Failed) is { } failed)
        {
            throw new InvalidDataException($"{failed.Source}: {failed.Reason}");
        }

        // A tenant's runbooks arrive as its adapter publishes them: private to that tenant.
        foreach (var runbook in InjectionCorpus.Cases.Select(c => c.Runbook).OfType<InjectionRunbook>().Where(r => r.Tenant is not null))
        {
            var text = await File.ReadAllTextAsync(Path.Combine(InjectionCorpus.Root, runbook.File), cancellationToken);
            var result = await knowledge.UpsertAsync(new KnowledgeDocument($"adapters/{runbook.Tenant}/{Path.GetFileName(runbook.File)}", text, DocumentFormat.Markdown, runbook.Tenant, KnowledgeVisibility.Private), cancellationToken);
            if (result.Outcome != IngestOutcome.Indexed)
            {
                throw new InvalidDataException($"{runbook.File}: {result.Outcome} {result.Reason}");
            }
        }

        return knowledge;
    }
}
