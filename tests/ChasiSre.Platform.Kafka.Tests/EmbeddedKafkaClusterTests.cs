using System.Collections.Concurrent;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Platform.Kafka.Tests;

public sealed class EmbeddedKafkaClusterTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public void Start_CreatesEveryCatalogTopic()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var names = metadata.Topics.Select(t => t.Topic).ToHashSet();
        Assert.All(TopicCatalog.All, t => Assert.Contains(t.Name, names));
        Assert.Equal(3, metadata.Brokers.Count);
        Assert.All(metadata.Topics.Where(t => t.Topic == TopicCatalog.Incidents.Name), t => Assert.Equal(3, t.Partitions.Count));
    }

    [Fact]
    public async Task BrokerDownAndUp_WhileProducing_LosesNoAcknowledgedRecordAndWritesNoDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var topic = kafka.NewTopic(ObjectRecord.Descriptor, partitions: 3, replicationFactor: 3);
        var result = await ProduceThroughFaults(topic, ct);

        Assert.Equal(result.Sent, result.Acknowledged.Count);
        Assert.Empty(result.Failed);
        var counts = await ReadAll(topic.Name, ct);
        Assert.All(result.Acknowledged, n => Assert.True(counts.ContainsKey(n), $"acknowledged record {n} is missing"));
        Assert.DoesNotContain(counts, c => c.Value > 1);
    }

    private async Task<(int Sent, ConcurrentBag<int> Acknowledged, ConcurrentBag<string> Failed)> ProduceThroughFaults(TopicDefinition topic, CancellationToken ct)
    {
        var factory = kafka.Factory(o =>
        {
            o.Properties["request.timeout.ms"] = "400";
            o.Properties["retry.backoff.ms"] = "50";
        });
        var config = factory.ProducerConfig("faults");
        var serde = new ProtobufSerde<ObjectRecord>();
        using var producer = new ProducerBuilder<string, ObjectRecord?>(config).SetValueSerializer(serde).Build();
        var acknowledged = new ConcurrentBag<int>();
        var failed = new ConcurrentBag<string>();
        const int total = 3000;
        for (var i = 0; i < total; i++)
        {
            if (i == 1000)
            {
                // Responses slower than the request timeout: the client retries what was written.
                SetRoundTrip(TimeSpan.FromMilliseconds(900));
            }
            else if (i == 1600)
            {
                await Task.Delay(1500, ct);
                SetRoundTrip(TimeSpan.Zero);
                kafka.Cluster.SetBrokerDown(2);
            }
            else if (i == 2200)
            {
                await Task.Delay(1500, ct);
                kafka.Cluster.SetBrokerUp(2);
            }

            var n = i;
            producer.Produce(topic.Name, new Message<string, ObjectRecord?> { Key = $"k{n % 97}", Value = Records.Pod(n) }, report =>
            {
                if (report.Status == PersistenceStatus.Persisted)
                {
                    acknowledged.Add(n);
                }
                else
                {
                    failed.Add($"{n}: {report.Error.Reason}");
                }
            });
            if (i % 100 == 0)
            {
                await Task.Delay(20, ct);
            }
        }

        producer.Flush(ct);
        return (total, acknowledged, failed);
    }

    private void SetRoundTrip(TimeSpan roundTrip)
    {
        for (var broker = 1; broker <= kafka.Cluster.BrokerCount; broker++)
        {
            kafka.Cluster.SetBrokerRoundTripTime(broker, roundTrip);
        }
    }

    private async Task<Dictionary<int, int>> ReadAll(string topic, CancellationToken ct)
    {
        var factory = kafka.Factory();
        using var consumer = factory.CreateRawConsumer("reader", $"r-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartition(topic, p)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var counts = new Dictionary<int, int>();
        var remaining = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        await Task.Yield();
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message is null)
            {
                continue;
            }

            var n = Records.Number(ObjectRecord.Parser.ParseFrom(r.Message.Value));
            counts[n] = counts.GetValueOrDefault(n) + 1;
            if (r.Offset.Value >= ends[r.Partition.Value] - 1)
            {
                remaining.Remove(r.Partition.Value);
            }
        }

        Assert.Empty(remaining);
        return counts;
    }
}
