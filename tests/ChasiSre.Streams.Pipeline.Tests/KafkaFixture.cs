using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Streams.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ChasiSre.Streams.Pipeline.Tests.KafkaFixture))]

namespace ChasiSre.Streams.Pipeline.Tests;

/// <summary>One embedded Kafka for the assembly; each test makes its own topics and application id.</summary>
public sealed class KafkaFixture : IDisposable
{
    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1 });

    public KafkaClientFactory Factory()
    {
        var options = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        return new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
    }

    /// <summary>Fresh topics for one test (as many partitions as the topology's tasks), plus the internal topics of <paramref name="options"/>.</summary>
    public DetectionTopics NewTopics(StreamsOptions options)
    {
        var partitions = options.Partitions;
        var id = Guid.NewGuid().ToString("N")[..12];
        var topics = new DetectionTopics($"t.{id}.objects", $"t.{id}.events", $"t.{id}.logs", $"t.{id}.signals", $"t.{id}.incidents", $"t.{id}.dlq");
        foreach (var topic in (string[])[topics.Objects, topics.Events, topics.Logs, topics.Signals, topics.Incidents, topics.DeadLetters])
        {
            Cluster.CreateTopic(topic, partitions);
        }

        foreach (var topic in DetectionApplication.InternalTopics(options, topics))
        {
            Cluster.CreateTopic(topic);
        }

        return topics;
    }

    public void Dispose() => Cluster.Dispose();
}
