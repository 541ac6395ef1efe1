using ChasiSre.Platform.Kafka.Embedded;

namespace ChasiSre.Sdk.Tests;

/// <summary>One embedded Kafka cluster (librdkafka's mock cluster, real protocol) for the publisher tests; each test uses its own topics.</summary>
public sealed class EmbeddedKafkaFixture : IDisposable
{
    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, ReplicationFactor = 1, CreateCatalogTopics = false });

    /// <summary>A fresh single-partition topic.</summary>
    public string NewTopic()
    {
        var name = $"test.sdk.{Guid.NewGuid():N}";
        Cluster.CreateTopic(name, 1, 1);
        return name;
    }

    public void Dispose() => Cluster.Dispose();
}
