using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Platform.Kafka.Tests;

public sealed class FleetPartitioningTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public async Task CreateProducer_CatalogObjectsTopic_PutsAHostAndItsVClustersOnOnePartition()
    {
        var ct = TestContext.Current.CancellationToken;
        using var producer = kafka.Factory().CreateProducer<ObjectRecord>("test");
        var keys = new[]
        {
            RecordKeys.ForObject(new ObjectRef { Cluster = "prod-eu", ApiVersion = "v1", Kind = "Node", Name = "worker-1" }),
            RecordKeys.ForObject(new ObjectRef { Cluster = "team-a", HostCluster = "prod-eu", HostNamespace = "vcluster-team-a", ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "web-1" }),
            RecordKeys.ForObject(new ObjectRef { Cluster = "team-b", HostCluster = "prod-eu", HostNamespace = "vcluster-team-b", ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "api", Name = "gw" }),
        };

        var partitions = new List<int>();
        foreach (var key in keys)
        {
            var result = await producer.ProduceAsync(TopicCatalog.Objects, key, new ObjectRecord { Snapshot = new ObjectSnapshot { ResourceVersion = "1" } }, ct);
            partitions.Add(result.Partition.Value);
        }

        Assert.All(partitions, p => Assert.Equal(RecordKeys.FleetPartition(Encoding.UTF8.GetBytes(keys[0]), 3), p));
    }

    [Fact]
    public async Task CreateProducer_OtherTopics_KeepTheDefaultPartitioner()
    {
        var ct = TestContext.Current.CancellationToken;
        using var producer = kafka.Factory().CreateProducer<Signal>("test");
        var seen = new HashSet<int>();
        for (var i = 0; i < 30; i++)
        {
            var key = RecordKeys.ForObject(new ObjectRef { Cluster = "prod-eu", ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = $"web-{i}" });
            seen.Add((await producer.ProduceAsync(TopicCatalog.Signals, key, new Signal { Id = $"s{i}" }, ct)).Partition.Value);
        }

        // Signals of one fleet still spread over the topic's partitions.
        Assert.True(seen.Count > 1);
    }
}
