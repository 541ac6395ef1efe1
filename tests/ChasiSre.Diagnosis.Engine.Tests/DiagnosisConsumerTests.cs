using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Engine.Tests;

/// <summary>The consumer on the embedded Kafka cluster (librdkafka's mock brokers, the real protocol).</summary>
public sealed class DiagnosisConsumerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Evidence as the replay left it: the store-shaped inputs of the example, whatever the incident.</summary>
    private sealed class ReplayEvidence(EvidenceInputs inputs) : IEvidenceSource
    {
        public int Loads { get; private set; }

        public Task<EvidenceInputs> LoadAsync(Incident incident, CancellationToken cancellationToken = default)
        {
            Loads++;
            return Task.FromResult(inputs);
        }
    }

    [Fact]
    public async Task Consumer_RevisionsOfOneCause_OneDiagnosisPublishedAndResolvedNotDiagnosed()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { PartitionsOverride = 2 });
        kafka.CreateCatalogTopics();
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, HandlerRetryDelay = TimeSpan.FromMilliseconds(50) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        var engine = new DiagnosisEngine(new DeterministicChatClient(), new EvidencePackBuilder(new EvidencePackOptions()), new DiagnosisOptions());
        var source = new ReplayEvidence(evidence);
        var consumer = new DiagnosisConsumer(factory, engine, source, Options.Create(new DiagnosisOptions { GroupId = $"diagnosis-{Guid.NewGuid():N}" }));

        // Revision 3, then revision 4 with one more event (same cause), then a resolved revision of another incident.
        var later = incident.Clone();
        later.Revision++;
        later.SignalCount++;
        var resolved = incident.Clone();
        resolved.Id = "inc-resolved";
        resolved.State = IncidentState.Resolved;
        using (var producer = factory.CreateProducer<Incident>(TopicCatalog.Components.Streams))
        {
            foreach (var record in new[] { incident, later, resolved })
            {
                await producer.ProduceAsync(TopicCatalog.Incidents, record.Id, record, Ct);
            }
        }

        await consumer.StartAsync(Ct);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (consumer.Published + consumer.Skipped < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }

        Assert.Equal(1, consumer.Published);
        Assert.Equal(2, consumer.Skipped);
        Assert.Equal(1, source.Loads);
        var published = Read(factory, TopicCatalog.Diagnoses.Name);
        var (id, diagnosis) = Assert.Single(published);
        Assert.Equal(incident.Id, id);
        Assert.Equal(incident.Revision, diagnosis.IncidentRevision);
        Assert.Contains("DEPLOY_ENV", diagnosis.RootCause, StringComparison.Ordinal);
    }

    [Fact]
    public void Cause_MoreEventsSameDetectors_Unchanged_NewDetector_Changed()
    {
        var (incident, _) = Replay.Single("crashloop-missing-env", "CrashLoop");
        var more = incident.Clone();
        more.Revision += 5;
        more.Signals[0].LastSeen = more.UpdatedAt;
        var other = incident.Clone();
        other.Signals.Add(new Signal { Id = "sig-oom", Detector = "pod.oomkilled", Active = true, Category = "OOMKilled", Subject = incident.Subject });

        Assert.Equal(DiagnosisConsumer.Cause(incident), DiagnosisConsumer.Cause(more));
        Assert.NotEqual(DiagnosisConsumer.Cause(incident), DiagnosisConsumer.Cause(other));
    }

    private static List<(string Key, ChasiSre.Schemas.V1.Diagnosis Value)> Read(KafkaClientFactory factory, string topic)
    {
        using var consumer = factory.CreateRawConsumer("test-reader", $"reader-{Guid.NewGuid():N}");
        consumer.Subscribe(topic);
        var records = new List<(string, ChasiSre.Schemas.V1.Diagnosis)>();
        var idle = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (DateTime.UtcNow < idle)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { Value: { } value } message)
            {
                records.Add((System.Text.Encoding.UTF8.GetString(message.Key!), ChasiSre.Schemas.V1.Diagnosis.Parser.ParseFrom(value)));
                idle = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            }
        }

        consumer.Close();
        return records;
    }
}
