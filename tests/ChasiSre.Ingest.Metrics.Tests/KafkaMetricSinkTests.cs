using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Metrics.Tests;

/// <summary>End to end on a real Kafka protocol (librdkafka's mock cluster): simulator pod -> Kestrel target -> scraper -> Kafka.</summary>
public sealed class KafkaMetricSinkTests
{
    [Fact]
    public async Task ScrapeAsync_ThroughKafkaSink_SamplesArriveKeyedBySeriesWithVClusterSubject()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 3 });
        kafka.CreateCatalogTopics();
        var factory = Factory(kafka);
        using var sink = new KafkaMetricSink(factory, NullLogger<KafkaMetricSink>.Instance);
        await using var cluster = await TestCluster.StartAsync("team-a", ct);
        await using var target = await MetricsTarget.StartAsync(ct);
        cluster.Simulator.Apply(TestCluster.Pod("shop", "checkout-1", "Running", "127.0.0.1", TestCluster.Scrape(target.Port)));
        target.Serve("# TYPE orders counter\norders_total{status=\"paid\"} 42\ncheckout_latency_seconds 0.25\n");
        var identity = ClusterIdentity.VCluster("team-a", "acme", "prod", "vcluster-team-a");
        var options = new MetricsIngestOptions();
        using var http = new HttpClient();
        using var scraper = new PrometheusScraper(
            http,
            cluster.Client,
            identity,
            new TenantResolver(null),
            TestCluster.Publisher(sink, options),
            options,
            TimeProvider.System,
            NullLogger<PrometheusScraper>.Instance);
        var pod = Assert.Single(await scraper.DiscoverAsync(ct));

        var result = await scraper.ScrapeAsync(pod, ct);
        target.Serve("not metrics at all {\n");
        var rejected = await scraper.ScrapeAsync(pod, ct);
        await sink.FlushAsync(ct);

        Assert.Equal((ScrapeStatus.Ok, ScrapeStatus.Invalid), (result.Status, rejected.Status));
        var records = Read(factory, TopicCatalog.Metrics);
        var samples = records.Select(r => (Key: Encoding.UTF8.GetString(r.Message.Key!), Sample: MetricSample.Parser.ParseFrom(r.Message.Value), r.Message.Headers)).ToList();
        Assert.Equal(8, samples.Count);
        Assert.All(samples, s =>
        {
            Assert.Equal(RecordKeys.ForSeries(s.Sample), s.Key);
            Assert.StartsWith("prod/vcluster-team-a/team-a/", s.Key, StringComparison.Ordinal);
            Assert.Equal(("team-a", "acme", Layer.Virtual, "Pod", "shop", "checkout-1"), (s.Sample.Subject.Cluster, s.Sample.Subject.Tenant, s.Sample.Subject.Layer, s.Sample.Subject.Kind, s.Sample.Subject.Namespace, s.Sample.Subject.Name));
        });
        var orders = samples.Single(s => s.Sample.Name == "orders_total");
        Assert.Equal("prod/vcluster-team-a/team-a/orders_total{namespace=\"shop\",pod=\"checkout-1\",status=\"paid\"}", orders.Key);
        Assert.Equal(42, orders.Sample.Points.Single().Value);
        Assert.Equal([1.0, 0.0], samples.Where(s => s.Sample.Name == "up").Select(s => s.Sample.Points.Single().Value));
        Assert.Equal("ingest-metrics", Encoding.UTF8.GetString(orders.Headers.GetLastBytes(RecordHeaders.Source)));

        var letter = Assert.Single(Read(factory, TopicCatalog.DeadLetters));
        Assert.Equal("prod/vcluster-team-a/team-a/core/Pod/shop/checkout-1", Encoding.UTF8.GetString(letter.Message.Key!));
        var dead = DeadLetter.Parser.ParseFrom(letter.Message.Value);
        Assert.Equal(("not metrics at all {\n", DeadLetterKinds.Normalize), (dead.OriginalValue.ToStringUtf8(), dead.ErrorKind));

        static KafkaClientFactory Factory(EmbeddedKafkaCluster kafka)
        {
            var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers };
            foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
            {
                options.ConsumerProperties[key] = value;
            }

            return new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        }
    }

    private static List<ConsumeResult<byte[]?, byte[]?>> Read(KafkaClientFactory factory, TopicDefinition topic)
    {
        using var consumer = factory.CreateRawConsumer("test-reader", $"reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic.Name, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(5)).High.Value);
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var expected = ends.Values.Sum();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                records.Add(result);
            }
        }

        consumer.Close();
        return records;
    }
}
