using System.Text;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>The consumer on a real embedded Kafka cluster (one per test), indexing into a knowledge base with the real MiniLM.</summary>
public sealed class BusinessRunbookConsumerTests(SourcesFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ExecuteAsync_RunbookRecords_IndexesThemPrivatelyAndIgnoresOtherCases()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = StartCluster(out var kafka);
        await using var knowledge = new KnowledgeBaseProvider(new KnowledgeBaseOptions(), fixture.Embeddings);
        var consumer = new BusinessRunbookConsumer(kafka, knowledge, Options.Create(new BusinessRunbookConsumerOptions()), NullLogger<BusinessRunbookConsumer>.Instance);
        await ProduceAsync(kafka, ct,
            Runbook("team-a", "orders", At, "orders-stuck", "Orders stuck in PENDING", "Check the payment-callback queue depth; restart the order-reconciler job when it exceeds 500.", "OrdersStuck", "Business"),
            Status("team-a", "orders", At),
            Runbook("team-b", "ledger", At, "ledger-drift", "Ledger drift", "Compare ledger totals with the bank statement export; freeze postings on drift.", "LedgerDrift"));

        await consumer.StartAsync(ct);
        await WaitUntilAsync(() => consumer.Indexed == 2 && consumer.Ignored == 1, ct);
        await consumer.StopAsync(ct);

        var kb = await knowledge.GetAsync(ct);
        var forA = await kb.SearchAsync(new KnowledgeQuery("orders stuck pending payment callback queue reconciler", "team-a", 10), ct);
        var forB = await kb.SearchAsync(new KnowledgeQuery("orders stuck pending payment callback queue reconciler", "team-b", 10), ct);
        var hit = Assert.Single(forA, h => h.Chunk.SourceId == "adapters/team-a/orders/orders-stuck");
        Assert.Equal(("team-a", KnowledgeVisibility.Private, "Orders stuck in PENDING"), (hit.Chunk.Tenant, hit.Chunk.Visibility, hit.Chunk.HeadingPath));
        Assert.Equal(["OrdersStuck", "Business"], hit.Chunk.Categories);
        Assert.DoesNotContain(forB, h => h.Chunk.SourceId.StartsWith("adapters/team-a/", StringComparison.Ordinal));
        Assert.Contains(forB, h => h.Chunk.SourceId == "adapters/team-b/ledger/ledger-drift");
        Assert.Empty(await kb.SearchAsync(new KnowledgeQuery("orders stuck pending payment callback queue reconciler", null, 10), ct));
        Assert.Equal(0, consumer.DeadLettered);
    }

    [Fact]
    public async Task ExecuteAsync_AdapterChangesAndDropsARunbook_ReindexesTheChangeAndRemovesTheDropped()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = StartCluster(out var kafka);
        await using var knowledge = new KnowledgeBaseProvider(new KnowledgeBaseOptions(), fixture.Embeddings);
        var consumer = new BusinessRunbookConsumer(kafka, knowledge, Options.Create(new BusinessRunbookConsumerOptions()), NullLogger<BusinessRunbookConsumer>.Instance);
        await ProduceAsync(kafka, ct,
            // Listing 1: two runbooks.
            Runbook("team-a", "orders", At, "orders-stuck", "Orders stuck", "Restart the order-reconciler job.", "OrdersStuck"),
            Runbook("team-a", "orders", At, "refund-backlog", "Refund backlog", "Drain the refund-dispatcher dead letter queue manually.", "Refunds"),
            // Listing 2: orders-stuck changed, refund-backlog gone.
            Runbook("team-a", "orders", At.AddMinutes(10), "orders-stuck", "Orders stuck", "Scale the payment-callback consumer to four replicas before restarting anything.", "OrdersStuck"),
            // Listing 3 (unchanged): starting it completes listing 2, which applies the removal.
            Runbook("team-a", "orders", At.AddMinutes(20), "orders-stuck", "Orders stuck", "Scale the payment-callback consumer to four replicas before restarting anything.", "OrdersStuck"),
            // A record of listing 1 delivered late must not undo the change.
            Runbook("team-a", "orders", At, "orders-stuck", "Orders stuck", "Restart the order-reconciler job.", "OrdersStuck"));

        await consumer.StartAsync(ct);
        await WaitUntilAsync(() => consumer.Removed == 1 && consumer.Stale == 1, ct);
        await consumer.StopAsync(ct);

        Assert.Equal((3, 1), (consumer.Indexed, consumer.Unchanged));
        var kb = await knowledge.GetAsync(ct);
        var hits = await kb.SearchAsync(new KnowledgeQuery("refund dispatcher dead letter queue order reconciler payment callback replicas", "team-a", 10, RetrievalMode.Bm25), ct);
        Assert.DoesNotContain(hits, h => h.Chunk.SourceId == "adapters/team-a/orders/refund-backlog");
        var stuck = Assert.Single(hits, h => h.Chunk.SourceId == "adapters/team-a/orders/orders-stuck");
        Assert.Contains("four replicas", stuck.Chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("order-reconciler", stuck.Chunk.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_EmptyOrOversizedBody_DeadLettersWithReasonAndGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = StartCluster(out var kafka);
        await using var knowledge = new KnowledgeBaseProvider(new KnowledgeBaseOptions(), fixture.Embeddings);
        var consumer = new BusinessRunbookConsumer(kafka, knowledge, Options.Create(new BusinessRunbookConsumerOptions { MaxRunbookBytes = 1024 }), NullLogger<BusinessRunbookConsumer>.Instance);
        await ProduceAsync(kafka, ct,
            Runbook("team-a", "orders", At, "blank", "Blank", "  \n\t ", "Orders"),
            Runbook("team-a", "orders", At, "huge", "Huge", new string('x', 2000), "Orders"),
            Runbook("", "orders", At, "no-tenant", "No tenant", "Restart the job.", "Orders"),
            Runbook("team-a", "orders", At, "good", "Good", "Restart the order-reconciler job.", "Orders"));

        await consumer.StartAsync(ct);
        await WaitUntilAsync(() => consumer.Indexed == 1 && consumer.DeadLettered == 3, ct);
        await consumer.StopAsync(ct);

        var reasons = await ReadDeadLetterReasonsAsync(kafka, 3, ct);
        Assert.Contains(reasons, r => r.Contains("runbook 'blank' of adapter 'orders' has an empty body", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("runbook 'huge' of adapter 'orders' is 2000 bytes, over the 1024-byte limit (MaxRunbookBytes)", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("runbook 'no-tenant' of adapter 'orders' has no subject tenant", StringComparison.Ordinal));
        var kb = await knowledge.GetAsync(ct);
        Assert.Equal(1, (await kb.GetStatsAsync(ct)).Sources);
    }

    [Fact]
    public async Task ExecuteAsync_ListedRunbookWhoseBodyTurnsEmpty_IsDeadLetteredAndKeepsItsPreviousVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cluster = StartCluster(out var kafka);
        await using var knowledge = new KnowledgeBaseProvider(new KnowledgeBaseOptions(), fixture.Embeddings);
        var consumer = new BusinessRunbookConsumer(kafka, knowledge, Options.Create(new BusinessRunbookConsumerOptions()), NullLogger<BusinessRunbookConsumer>.Instance);
        await ProduceAsync(kafka, ct,
            Runbook("team-a", "orders", At, "orders-stuck", "Orders stuck", "Restart the order-reconciler job.", "OrdersStuck"),
            Runbook("team-a", "orders", At, "refund-backlog", "Refund backlog", "Drain the refund-dispatcher dead letter queue manually.", "Refunds"),
            Runbook("team-a", "orders", At.AddMinutes(10), "orders-stuck", "Orders stuck", "Restart the order-reconciler job.", "OrdersStuck"),
            Runbook("team-a", "orders", At.AddMinutes(10), "refund-backlog", "Refund backlog", "", "Refunds"),
            Runbook("team-a", "orders", At.AddMinutes(20), "orders-stuck", "Orders stuck", "Restart the order-reconciler job.", "OrdersStuck"));

        await consumer.StartAsync(ct);
        await WaitUntilAsync(() => consumer.DeadLettered == 1 && consumer.Unchanged == 2, ct);
        await consumer.StopAsync(ct);

        Assert.Equal((2, 0), (consumer.Indexed, consumer.Removed));
        var kb = await knowledge.GetAsync(ct);
        var hits = await kb.SearchAsync(new KnowledgeQuery("refund dispatcher dead letter queue", "team-a", 5, RetrievalMode.Bm25), ct);
        Assert.Contains(hits, h => h.Chunk.SourceId == "adapters/team-a/orders/refund-backlog" && h.Chunk.Text.Contains("Drain the refund-dispatcher", StringComparison.Ordinal));
    }

    private static EmbeddedKafkaCluster StartCluster(out KafkaClientFactory kafka)
    {
        var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 2, ReplicationFactor = 1 });
        cluster.CreateCatalogTopics();
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1), MaxHandlerAttempts = 2, HandlerRetryDelay = TimeSpan.FromMilliseconds(20) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        kafka = new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
        return cluster;
    }

    private static BusinessRecord Runbook(string tenant, string adapter, DateTimeOffset at, string id, string title, string body, params string[] tags)
    {
        var runbook = new Runbook { Id = id, Title = title, Body = body };
        runbook.Tags.Add(tags);
        return new BusinessRecord { Adapter = adapter, Subject = Subject(tenant, adapter), At = Timestamp.FromDateTimeOffset(at), Id = $"{tenant}-{id}-{at.ToUnixTimeSeconds()}", Runbook = runbook };
    }

    private static BusinessRecord Status(string tenant, string adapter, DateTimeOffset at) =>
        new() { Adapter = adapter, Subject = Subject(tenant, adapter), At = Timestamp.FromDateTimeOffset(at), Id = $"{tenant}-status", Status = new BusinessStatus { Healthy = true, Summary = "ok" } };

    private static ObjectRef Subject(string tenant, string adapter) =>
        new() { Tenant = tenant, Cluster = $"vc-{tenant}", Layer = Layer.Business, ApiVersion = "business.chasi.io/v1", Kind = "BusinessSystem", Namespace = "default", Name = adapter };

    // One key per adapter, as the gateway does: a listing stays in order on one partition.
    private static async Task ProduceAsync(KafkaClientFactory kafka, CancellationToken ct, params BusinessRecord[] records)
    {
        using var producer = kafka.CreateProducer<BusinessRecord>("kb-sources-tests");
        foreach (var record in records)
        {
            await producer.ProduceAsync(TopicCatalog.Business, $"{record.Subject.Tenant}/{record.Adapter}", record, ct);
        }
    }

    private static async Task<List<string>> ReadDeadLetterReasonsAsync(KafkaClientFactory kafka, int expected, CancellationToken ct)
    {
        using var consumer = kafka.CreateRawConsumer("dlq-reader", $"dlq-{Guid.NewGuid():N}");
        consumer.Subscribe(TopicCatalog.DeadLetters.Name);
        var reasons = new List<string>();
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        await Task.Yield();
        while (reasons.Count < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { } message && message.Headers.TryGetLastBytes(RecordHeaders.OriginalTopic, out var topic) && Encoding.UTF8.GetString(topic) == TopicCatalog.Business.Name)
            {
                reasons.Add(message.Headers.TryGetLastBytes(RecordHeaders.ErrorMessage, out var reason) ? Encoding.UTF8.GetString(reason) : "");
            }

            ct.ThrowIfCancellationRequested();
        }

        consumer.Close();
        Assert.Equal(expected, reasons.Count);
        return reasons;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "condition not met in time");
            await Task.Delay(50, ct);
        }
    }
}
