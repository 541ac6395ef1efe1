using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Scenarios;

/// <summary>
/// Replays scenarios through the pipeline on the embedded Kafka: each scenario's timeline becomes the records ingest
/// publishes (<see cref="ScenarioRecords"/>), produced instant by instant to its own set of topics, through the real
/// Streamiz detection topology (<see cref="DetectionReplay"/>: replay clock, one flush per instant), and its incidents
/// are read back from its incidents topic and judged against its <c>expect</c> block.
/// </summary>
internal sealed class ScenarioRunner : IDisposable
{
    private readonly EmbeddedKafkaCluster cluster;
    private readonly KafkaClientFactory kafka;
    private readonly ILoggerFactory loggerFactory;
    private readonly CorrelationOptions correlation = new();
    private int runs;

    public ScenarioRunner(ILoggerFactory loggerFactory)
    {
        this.loggerFactory = loggerFactory;
        cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1 });
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        kafka = new KafkaClientFactory(Options.Create(options), loggerFactory);
    }

    /// <summary>Replays one scenario and returns every incident it published (latest revisions) with the records it
    /// replayed (what ingest published, in order).</summary>
    public async Task<(IReadOnlyList<Incident> Incidents, IReadOnlyList<DetectionInput> Records)> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var batches = ScenarioRecords.Build(scenario);
        return (await RunAsync(batches, scenario.StartTime, cancellationToken), [.. batches.SelectMany(b => b.Records)]);
    }

    /// <summary>Replays <paramref name="batches"/> (offsets from <paramref name="startTime"/>) and returns every incident
    /// they produced (latest revisions): what <c>chasi analyze</c> runs on a dump or a live list.</summary>
    public async Task<IReadOnlyList<Incident>> RunAsync(IReadOnlyList<ScenarioRecordBatch> batches, DateTimeOffset startTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var run = Interlocked.Increment(ref runs);
        var options = new StreamsOptions
        {
            ApplicationId = $"chasi-scenario-{run}-{Guid.NewGuid():N}",
            Partitions = 1,
            FlushInterval = TimeSpan.FromMilliseconds(10),
            CommitInterval = TimeSpan.FromMilliseconds(200),
        };
        var prefix = $"scenario.{run}";
        var topics = new DetectionTopics($"{prefix}.objects", $"{prefix}.events", $"{prefix}.logs", $"{prefix}.signals", $"{prefix}.incidents", $"{prefix}.dlq", $"{prefix}.metrics", $"{prefix}.business");
        foreach (var topic in (string[])[topics.Objects, topics.Events, topics.Logs, topics.Signals, topics.Incidents, topics.DeadLetters, topics.Metrics!, topics.Business!])
        {
            cluster.CreateTopic(topic, 1);
        }

        foreach (var topic in DetectionApplication.InternalTopics(options, topics))
        {
            cluster.CreateTopic(topic);
        }

        await using var replay = await DetectionReplay.StartAsync(kafka, topics, options, correlation, startTime, loggerFactory, cancellationToken);
        var end = startTime;
        foreach (var batch in batches)
        {
            end = startTime + batch.At;
            await replay.ApplyAsync(end, batch.Records, cancellationToken);
        }

        // The pipeline keeps running after the last step: one refresh interval later, time-based detectors and
        // incident lifecycles have moved on.
        await replay.AdvanceAsync(end + correlation.RefreshInterval, cancellationToken);
        return await replay.IncidentsAsync(cancellationToken);
    }

    public void Dispose() => cluster.Dispose();
}
