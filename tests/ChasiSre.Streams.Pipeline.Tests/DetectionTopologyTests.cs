using System.Text;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.TestKit;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Streams.Pipeline.Tests;

/// <summary>The detection topology on the embedded Kafka: records in, incidents and signals out, bad records to the
/// dead-letter topic, state restored from the changelog.</summary>
public sealed class DetectionTopologyTests(KafkaFixture kafka)
{
    private static StreamsOptions NewOptions(int partitions = 3, bool partitionedByFleet = true) => new()
    {
        ApplicationId = $"detect-{Guid.NewGuid():N}",
        Partitions = partitions,
        InputsPartitionedByFleet = partitionedByFleet,
        FlushInterval = TimeSpan.FromMilliseconds(20),
        CommitInterval = TimeSpan.FromMilliseconds(100),
    };

    // Inputs on three partitions: partitioned by fleet (as ingest produces them; no repartition) or by object key
    // (the topology repartitions). Either way the host twins and the vCluster's objects must meet.
    [Theory]
    [InlineData("crashloop-missing-env", "CrashLoop", Layer.Virtual, "team-a/Deployment/shop/checkout", true)]
    [InlineData("host-quota-rejects-twin", "QuotaExceeded", Layer.Host, "team-b/Deployment/analytics/report-worker", true)]
    [InlineData("host-quota-rejects-twin", "QuotaExceeded", Layer.Host, "team-b/Deployment/analytics/report-worker", false)]
    [InlineData("node-disk-pressure-evictions", "NodePressure", Layer.Host, "host/Node//worker-2", false)]
    public async Task Replay_SharedExample_PublishesItsIncidentAndSignals(string example, string category, Layer layer, string subject, bool partitionedByFleet)
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(SharedExamples.Example(example));
        var options = NewOptions(partitions: 3, partitionedByFleet);
        var topics = kafka.NewTopics(options);

        IReadOnlyList<Incident> incidents;
        long signals;
        await using (var replay = await DetectionReplay.StartAsync(kafka.Factory(), topics, options, new CorrelationOptions(), scenario.StartTime, NullLoggerFactory.Instance, ct))
        {
            var end = scenario.StartTime;
            foreach (var batch in ScenarioRecords.Build(scenario))
            {
                end = scenario.StartTime + batch.At;
                await replay.ApplyAsync(end, batch.Records, ct);
            }

            await replay.AdvanceAsync(end + TimeSpan.FromMinutes(1), ct);
            incidents = await replay.IncidentsAsync(ct);
            signals = replay.Progress.Signals;
        }

        Assert.Contains(incidents, i => i.Category == category && i.Layer == layer && (Key(i.Subject) == subject || i.Affected.Any(a => Key(a) == subject)));
        Assert.True(signals >= 1);
        var published = ReadAll(topics.Signals, signals, ct).Select(m => Parse<Signal>(m)).ToList();
        Assert.All(published, s => Assert.True(incidents.SelectMany(i => i.Signals).Any(known => known.Id == s.Id), $"signal {s.Id} belongs to no incident"));
    }

    [Fact]
    public async Task Garbage_OnTheObjectsTopic_IsDeadLetteredAndTheTopologyCarriesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var options = NewOptions();
        var topics = kafka.NewTopics(options);
        var factory = kafka.Factory();
        await using var replay = await DetectionReplay.StartAsync(factory, topics, options, new CorrelationOptions(), scenario.StartTime, NullLoggerFactory.Instance, ct);

        using (var raw = factory.CreateRawProducer("test"))
        {
            var headers = new Headers { { RecordHeaders.Schema, Encoding.UTF8.GetBytes(ObjectRecord.Descriptor.FullName) } };
            await raw.ProduceAsync(topics.Objects, new Message<byte[]?, byte[]?> { Key = "host/core/Pod/x/y"u8.ToArray(), Value = [0xff, 0xff, 0xff, 0x01], Headers = headers }, ct);
            var wrongSchema = new Headers { { RecordHeaders.Schema, Encoding.UTF8.GetBytes(Incident.Descriptor.FullName) } };
            await raw.ProduceAsync(topics.Events, new Message<byte[]?, byte[]?> { Key = "host/core/Pod/x/z"u8.ToArray(), Value = new Incident { Id = "i" }.ToByteArray(), Headers = wrongSchema }, ct);
        }

        var end = scenario.StartTime;
        foreach (var batch in ScenarioRecords.Build(scenario))
        {
            end = scenario.StartTime + batch.At;
            await replay.ApplyAsync(end, batch.Records, ct);
        }

        var letters = ReadAll(topics.DeadLetters, 2, ct);
        Assert.Equal(
            [DeadLetterKinds.Deserialize, DeadLetterKinds.SchemaVersion],
            letters.Select(m => Encoding.UTF8.GetString(m.Headers.GetLastBytes(RecordHeaders.ErrorKind))).Order(StringComparer.Ordinal).ToArray());
        var letter = Parse<DeadLetter>(letters.Single(m => Encoding.UTF8.GetString(m.Headers.GetLastBytes(RecordHeaders.ErrorKind)) == DeadLetterKinds.Deserialize));
        Assert.Equal(topics.Objects, letter.OriginalTopic);
        Assert.Equal([0xff, 0xff, 0xff, 0x01], letter.OriginalValue.ToByteArray());
        Assert.Contains(await replay.IncidentsAsync(ct), i => i.Category == "CrashLoop");
    }

    [Fact]
    public async Task Restart_WithTheSameApplicationId_RebuildsTheStateFromTheChangelog()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var batches = ScenarioRecords.Build(scenario);
        var options = NewOptions(partitions: 1);
        var topics = kafka.NewTopics(options);

        // First instance: only the objects (Deployment, ReplicaSet, healthy-looking state), no verdict asked for.
        var objects = batches.SelectMany(b => b.Records).Where(r => r.InputCase == DetectionInput.InputOneofCase.Object && r.Object.Snapshot?.Ref.Kind is "Deployment" or "ReplicaSet").ToList();
        Assert.NotEmpty(objects);
        await using (var first = await DetectionReplay.StartAsync(kafka.Factory(), topics, options, new CorrelationOptions(), scenario.StartTime, NullLoggerFactory.Instance, ct))
        {
            await first.ApplyAsync(scenario.StartTime, objects, ct);
        }

        // Second instance, same application: it receives only the pods, events and logs. The incident can name the
        // Deployment as its subject only if the ReplicaSet and Deployment came back from the changelog.
        var rest = batches.SelectMany(b => b.Records).Where(r => !objects.Contains(r)).ToList();
        await using var second = await DetectionReplay.StartAsync(kafka.Factory(), topics, options, new CorrelationOptions(), scenario.StartTime, NullLoggerFactory.Instance, ct);
        var end = scenario.StartTime + batches[^1].At;
        await second.ApplyAsync(end, rest, ct);
        await second.AdvanceAsync(end + TimeSpan.FromMinutes(1), ct);

        var incident = Assert.Single(await second.IncidentsAsync(ct));
        Assert.Equal("CrashLoop", incident.Category);
        Assert.Equal("team-a/Deployment/shop/checkout", Key(incident.Subject));
    }

    [Fact]
    public async Task Restart_IncidentStillOpen_ContinuesUnderItsIdAndRevisions()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var batches = ScenarioRecords.Build(scenario);
        var options = NewOptions(partitions: 1);
        var topics = kafka.NewTopics(options);
        var end = scenario.StartTime + batches[^1].At;

        Incident before;
        long published;
        await using (var first = await DetectionReplay.StartAsync(kafka.Factory(), topics, options, new CorrelationOptions(), scenario.StartTime, NullLoggerFactory.Instance, ct))
        {
            foreach (var batch in batches)
            {
                await first.ApplyAsync(scenario.StartTime + batch.At, batch.Records, ct);
            }

            await first.AdvanceAsync(end + TimeSpan.FromMinutes(1), ct);
            before = Assert.Single(await first.IncidentsAsync(ct));
            published = first.Progress.Incidents;
        }

        // The same application again, state from the changelog: the crash loop is still there at the next resync.
        // (The last instant's records again, as a relist would: waiting for them to be applied waits for the task.)
        await using var second = await DetectionReplay.StartAsync(kafka.Factory(), topics, options, new CorrelationOptions(), end + TimeSpan.FromMinutes(1), NullLoggerFactory.Instance, ct);
        await second.ApplyAsync(end + TimeSpan.FromMinutes(2), batches[^1].Records, ct);
        await second.AdvanceAsync(end + TimeSpan.FromMinutes(3), ct);

        await second.IncidentsAsync(ct);
        var records = ReadAll(topics.Incidents, published + second.Progress.Incidents, ct).Select(Parse<Incident>).ToList();
        Assert.True(second.Progress.Incidents > 0, "the restarted instance published nothing");
        Assert.Single(records.Select(r => r.Id).Distinct());
        var after = records.MaxBy(r => r.Revision)!;
        Assert.Equal(IncidentState.Open, after.State);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.OpenedAt, after.OpenedAt);
        Assert.True(after.Revision > before.Revision, $"revision {after.Revision} after {before.Revision}");
    }

    private List<Message<byte[]?, byte[]?>> ReadAll(string topic, long count, CancellationToken ct)
    {
        using var consumer = kafka.Factory().CreateRawConsumer("test", $"reader-{Guid.NewGuid():N}");
        consumer.Subscribe(topic);
        var messages = new List<Message<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (messages.Count < count && DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(100))?.Message is { } message)
            {
                messages.Add(message);
            }
        }

        consumer.Close();
        Assert.Equal(count, messages.Count);
        return messages;
    }

    private static T Parse<T>(Message<byte[]?, byte[]?> message)
        where T : class, Google.Protobuf.IMessage<T>, new() =>
        new ProtobufSerde<T>().Deserialize(message.Value ?? [], message.Value is null, default)!;

    private static string Key(ObjectRef reference) => $"{reference.Cluster}/{reference.Kind}/{reference.Namespace}/{reference.Name}";
}
