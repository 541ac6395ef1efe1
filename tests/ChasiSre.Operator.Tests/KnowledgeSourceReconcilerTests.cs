using System.Text.Json.Nodes;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Operator.Tests;

public sealed class KnowledgeSourceReconcilerTests
{
    private const string Ns = "ns-shop";

    [Fact]
    public async Task ReconcileAsync_ConfigMapSource_PublishesEachKeyAsATenantRunbookOnceUntilItChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 1, ReplicationFactor = 1 });
        kafka.CreateCatalogTopics();
        var factory = Factory(kafka);
        using var handOff = new KafkaKnowledgeHandOff(factory);
        await using var world = await OperatorWorld.StartAsync(ct, handOff);
        world.Host.Apply(ConfigMap(new JsonObject
        {
            ["checkout-down.md"] = "# Checkout is down\n\nRestart the payment gateway pod first.",
            ["orders.txt"] = "Orders queue backs up when the warehouse API is slow.",
        }));
        await world.CreateAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", new JsonObject
        {
            ["tenant"] = "shop",
            ["configMap"] = new JsonObject { ["name"] = "shop-runbooks" },
            ["tags"] = new JsonArray("shop"),
        }, ct);

        var first = await world.Reconciler.ReconcileAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", cancellationToken: ct);
        var second = await world.Reconciler.ReconcileAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", cancellationToken: ct);

        Assert.Equal("Published", first!.ReadyReason);
        Assert.Equal("UpToDate", second!.ReadyReason);
        var records = Consume(factory, 2, ct);
        Assert.Equal(2, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("knowledgesource.ns-shop.shop-runbooks", r.Adapter);
            Assert.Equal("shop", r.Subject.Tenant);
            Assert.Equal(Layer.Business, r.Subject.Layer);
            Assert.Equal(["shop"], r.Runbook.Tags);
        });
        Assert.Single(records.Select(r => r.At).Distinct());
        var checkout = records.Single(r => r.Runbook.Id == "checkout-down.md");
        Assert.Equal("Checkout is down", checkout.Runbook.Title);
        Assert.Contains("payment gateway", checkout.Runbook.Body, StringComparison.Ordinal);
        Assert.Equal("orders.txt", records.Single(r => r.Runbook.Id == "orders.txt").Runbook.Title);
        var status = world.Resource(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks")["status"]!;
        Assert.Equal(2, status["documents"]!.GetValue<int>());

        // The ConfigMap changes: a new listing is published.
        world.Host.Apply(ConfigMap(new JsonObject { ["checkout-down.md"] = "# Checkout is down\n\nScale the gateway to 3 first." }));
        var third = await world.Reconciler.ReconcileAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", cancellationToken: ct);
        Assert.Equal("Published", third!.ReadyReason);
        var next = Consume(factory, 3, ct).Skip(2).Single();
        Assert.Contains("Scale the gateway", next.Runbook.Body, StringComparison.Ordinal);
        Assert.True(next.At.ToDateTimeOffset() >= checkout.At.ToDateTimeOffset());
    }

    [Fact]
    public async Task ReconcileAsync_VolumePathSource_PublishesMarkdownAndTextFilesBelowIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 1, ReplicationFactor = 1 });
        kafka.CreateCatalogTopics();
        var factory = Factory(kafka);
        using var handOff = new KafkaKnowledgeHandOff(factory);
        await using var world = await OperatorWorld.StartAsync(ct, handOff);
        var root = Directory.CreateDirectory(Path.Combine(world.Directory, "kb"));
        Directory.CreateDirectory(Path.Combine(root.FullName, "db"));
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "db", "failover.md"), "# DB failover\n\nPromote the replica.", ct);
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "image.png"), "not a document", ct);
        await world.CreateAsync(ChasiResources.KnowledgeSourceKind, Ns, "platform", new JsonObject { ["tenant"] = "shop", ["volumePath"] = root.FullName }, ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.KnowledgeSourceKind, Ns, "platform", cancellationToken: ct);

        Assert.True(outcome!.Ready, outcome.ReadyMessage);
        var record = Assert.Single(Consume(factory, 1, ct));
        Assert.Equal("db:failover.md", record.Runbook.Id);
        Assert.Equal("DB failover", record.Runbook.Title);
    }

    [Fact]
    public async Task ReconcileAsync_ConfigMapMissing_ReportsNotReadyAndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        await world.CreateAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", new JsonObject { ["tenant"] = "shop", ["configMap"] = new JsonObject { ["name"] = "absent" } }, ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks", cancellationToken: ct);

        Assert.True(outcome!.Valid);
        Assert.False(outcome.Ready);
        var ready = OperatorWorld.Condition(world.Resource(ChasiResources.KnowledgeSourceKind, Ns, "shop-runbooks"), "Ready")!;
        Assert.Equal("ConfigMapNotFound", ready["reason"]!.GetValue<string>());
        Assert.Equal("ConfigMap ns-shop/absent not found", ready["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_BothConfigMapAndVolumePath_IsRefusedByTheCrdSchema()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);

        var ex = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => world.CreateAsync(ChasiResources.KnowledgeSourceKind, Ns, "both", new JsonObject
        {
            ["tenant"] = "shop",
            ["configMap"] = new JsonObject { ["name"] = "x" },
            ["volumePath"] = "/kb",
        }, ct));

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, ex.Response.StatusCode);
        Assert.Contains("must validate one and only one schema (oneOf)", ex.Response.Content, StringComparison.Ordinal);
    }

    private static JsonObject ConfigMap(JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "shop-runbooks", ["namespace"] = Ns },
        ["data"] = data,
    };

    private static KafkaClientFactory Factory(EmbeddedKafkaCluster kafka)
    {
        var options = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        return new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
    }

    private static List<BusinessRecord> Consume(KafkaClientFactory factory, int expected, CancellationToken cancellationToken)
    {
        using var consumer = factory.CreateRawConsumer("operator-tests", $"reader-{Guid.NewGuid():N}");
        consumer.Subscribe(TopicCatalog.Business.Name);
        var records = new List<BusinessRecord>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        try
        {
            while (records.Count < expected && DateTimeOffset.UtcNow < deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message.Value: { } value })
                {
                    records.Add(BusinessRecord.Parser.ParseFrom(value));
                }
            }

            // Anything beyond what was expected would be a second, unwanted publication.
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message.Value: { } extra })
            {
                records.Add(BusinessRecord.Parser.ParseFrom(extra));
            }
        }
        finally
        {
            consumer.Close();
        }

        return records;
    }
}
