using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>The gateway against the real orders sample (SDK on Kestrel), a simulated API server and the embedded Kafka.</summary>
public sealed class GatewayPollingTests
{
    private const string Token = "s3cr3t-orders-token";

    [Fact]
    public async Task Poll_HealthySampleOverHttp_PublishesStatusEventsLogsAndRunbooksUnderTheGatewaysTenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: false, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Secret("ns-alice", "orders-token", Token));
        gateway.Host.Apply(GatewayHarness.Pod("ns-alice", "orders-0", adapter.HttpPort));

        var records = await GatewayHarness.EventuallyAsync(() => gateway.BusinessAsync(ct),
            r => r.Count(x => x.Status is not null) >= 2 && r.Any(x => x.Runbook is not null) && r.Any(x => x.Event is not null) && r.Any(x => x.Log is not null), "two polls of the sample", ct);

        var status = records.First(r => r.Status is not null);
        Assert.True(status.Status.Healthy);
        Assert.Equal(0.004, status.Status.Metrics["payment_error_ratio"]);
        Assert.Equal("orders", status.Adapter);
        Assert.Equal(new ObjectRef
        {
            Cluster = "host",
            Tenant = "alice",
            Layer = Layer.Business,
            ApiVersion = "business.chasi.io/v1",
            Kind = "BusinessSystem",
            Namespace = "ns-alice",
            Name = "orders",
            HostCluster = "host",
        }, status.Subject);
        Assert.All(status.Status.DependsOn, d => Assert.Equal(("host", "alice", Layer.Host), (d.Cluster, d.Tenant, d.Layer)));
        Assert.Equal(3, records.Where(r => r.Runbook is not null).Select(r => r.Runbook.Id).Distinct().Count());
        Assert.All(records.Where(r => r.Event is not null), r => Assert.Equal("OrdersProcessed", r.Event.Reason));
        var log = records.First(r => r.Log is not null).Log;
        Assert.Equal(("Pod", "ns-alice", "orders-0", "alice"), (log.Source.Kind, log.Source.Namespace, log.Source.Name, log.Source.Tenant));

        // Windows follow each other: no event or line is published twice, ids are stable.
        var items = records.Where(r => r.Status is null && r.Runbook is null).ToList();
        Assert.Equal(items.Count, items.Select(r => r.Id).Distinct().Count());
        var keys = (await gateway.ReadAllAsync(TopicCatalog.Business, ct)).Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Key!)).Distinct();
        Assert.Equal(["alice/orders"], keys);

        Assert.Empty(await gateway.SignalsAsync(ct));
        Assert.Empty(await gateway.DeadLettersAsync(ct));
        // Runbooks are listed on the first poll, then only every RunbooksInterval (10 minutes).
        Assert.Equal(1, adapter.Adapter.RunbookListCalls);
        Assert.Equal(0, adapter.Adapter.ExecuteRunbookCalls);
        Assert.Equal(0, adapter.Adapter.ConfigurationCalls);
    }

    [Fact]
    public async Task Poll_DegradedSampleOverGrpc_PublishesUnhealthyStatusWarningsAndErrorLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: true, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Secret("shop", "orders-token", Token));
        gateway.Host.Apply(GatewayHarness.Pod("shop", "orders-0", adapter.GrpcPort, transport: "grpc"));

        var records = await GatewayHarness.EventuallyAsync(() => gateway.BusinessAsync(ct),
            r => r.Any(x => x.Status is not null) && r.Any(x => x.Event is not null) && r.Any(x => x.Log?.Level == LogLevel.Error), "a degraded poll over gRPC", ct);

        var status = records.First(r => r.Status is not null).Status;
        Assert.False(status.Healthy);
        Assert.Equal(0.18, status.Metrics["payment_error_ratio"]);
        Assert.Contains(records, r => r.Event is { Reason: "PaymentTimeouts" or "FulfilmentBacklog" });
        Assert.All(records.Where(r => r.Event is not null), r => Assert.NotEqual("Normal", r.Event.Type));
        Assert.Contains(records, r => r.Log?.Message.Contains("payment gateway timeout", StringComparison.Ordinal) == true);
        Assert.Equal("", records[0].Subject.Tenant);
        Assert.Equal(0, adapter.Adapter.ExecuteRunbookCalls);
    }

    [Fact]
    public async Task Poll_VClusterTwinPod_UsesTheVClustersIdentityTenantAndTheSecretsHostTwin()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: false, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        const string hostNamespace = "vcluster-team-a";
        gateway.Host.Apply(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = hostNamespace,
                ["name"] = "team-a",
                ["labels"] = new JsonObject { ["app"] = "vcluster", ["release"] = "team-a", ["chasi.io/tenant"] = "acme" },
            },
            ["spec"] = new JsonObject { ["replicas"] = 1 },
        });
        gateway.Host.Apply(GatewayHarness.Secret(hostNamespace, VClusterNaming.HostName("orders-token", "shop", "team-a"), Token));
        var pod = GatewayHarness.Pod(hostNamespace, VClusterNaming.HostName("orders-0", "shop", "team-a"), adapter.HttpPort);
        pod["metadata"]!["labels"] = new JsonObject { [VClusterNaming.ManagedByLabel] = "team-a", [VClusterNaming.NamespaceLabel] = "shop" };
        var annotations = pod["metadata"]!["annotations"]!.AsObject();
        annotations[VClusterNaming.PodNameAnnotation] = "orders-0";
        annotations[VClusterNaming.PodNamespaceAnnotation] = "shop";
        annotations[VClusterNaming.PodUidAnnotation] = "virtual-uid-1";
        gateway.Host.Apply(pod);

        var records = await GatewayHarness.EventuallyAsync(() => gateway.BusinessAsync(ct), r => r.Any(x => x.Log is not null), "a poll of the vCluster adapter", ct);

        var subject = records[0].Subject;
        Assert.Equal(("team-a", "acme", Layer.Business, "shop", "orders", "host", hostNamespace),
            (subject.Cluster, subject.Tenant, subject.Layer, subject.Namespace, subject.Name, subject.HostCluster, subject.HostNamespace));
        var source = records.First(r => r.Log is not null).Log.Source;
        Assert.Equal((Layer.Virtual, "shop", "orders-0", "virtual-uid-1"), (source.Layer, source.Namespace, source.Name, source.Uid));
        Assert.Equal((Layer.Host, hostNamespace), (source.Twin.Layer, source.Twin.Namespace));
        Assert.All(records.First(r => r.Status is not null).Status.DependsOn, d => Assert.Equal(("team-a", Layer.Virtual), (d.Cluster, d.Layer)));
    }

    [Fact]
    public async Task Poll_SlowAdapter_TimesOutOpensTheBreakerSignalsAndRecoversThroughHalfOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: false, ct);
        adapter.Adapter.Delay = TimeSpan.FromSeconds(2);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Secret("shop", "orders-token", Token));
        gateway.Host.Apply(GatewayHarness.Pod("shop", "orders-0", adapter.HttpPort));
        var scheduler = await gateway.SchedulerAsync();
        var key = RecordKeys.ForObject(ClusterIdentity.Host("host").Ref("v1", "Pod", "shop", "orders-0", null));

        await GatewayHarness.EventuallyAsync(() => Task.FromResult(scheduler.BreakerOf(key)), s => s == BreakerState.Open, "the breaker to open", ct);
        var signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 1, "an AdapterUnhealthy signal", ct);
        Assert.True(signals[0].Active);
        Assert.Equal(("AdapterUnhealthy", "ingest.adapter_unhealthy", "orders-0"), (signals[0].Reason, signals[0].Detector, signals[0].Subject.Name));
        Assert.Contains("no answer within", signals[0].Message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker open", signals[0].Message, StringComparison.Ordinal);
        var callsWhileOpen = adapter.Adapter.StatusCalls;
        await Task.Delay(500, ct);
        Assert.InRange(adapter.Adapter.StatusCalls - callsWhileOpen, 0, 1);

        adapter.Adapter.Delay = TimeSpan.Zero;
        await GatewayHarness.EventuallyAsync(() => Task.FromResult(scheduler.BreakerOf(key)), s => s == BreakerState.Closed, "the breaker to close after a half-open trial", ct);
        signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 2, "the clearing signal", ct);
        Assert.False(signals[^1].Active);
        Assert.Equal(signals[0].Id, signals[^1].Id);
        Assert.Contains(await gateway.BusinessAsync(ct), r => r.Status is not null);
    }

    [Fact]
    public async Task Poll_WrongTokenThenRotatedSecret_SignalsUnauthenticatedAndRecoversWithoutRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: false, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Secret("shop", "orders-token", "an-old-token"));
        gateway.Host.Apply(GatewayHarness.Pod("shop", "orders-0", adapter.HttpPort));

        var signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 1, "an AdapterUnhealthy signal", ct);
        Assert.True(signals[0].Active);
        Assert.Contains("UNAUTHENTICATED", signals[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("an-old-token", GatewayHarness.Text(signals[0]), StringComparison.Ordinal);
        Assert.Empty(await gateway.BusinessAsync(ct));

        gateway.Host.Apply(GatewayHarness.Secret("shop", "orders-token", Token));
        signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 2, "the clearing signal", ct);
        Assert.False(signals[^1].Active);
        await GatewayHarness.EventuallyAsync(() => gateway.BusinessAsync(ct), r => r.Any(x => x.Status is not null), "a status after the rotation", ct);
        Assert.All(await gateway.ReadAllAsync(TopicCatalog.Alerts, ct), r => Assert.DoesNotContain(Token, System.Text.Encoding.UTF8.GetString(r.Message.Value!), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_AdapterPodAndServiceAddedThenRemoved_PollingStartsAndStops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: false, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Secret("shop", "orders-token", Token));
        var scheduler = await gateway.SchedulerAsync();

        // Not an adapter until Running with an IP; a Service is one through its cluster IP and named port.
        gateway.Host.Apply(GatewayHarness.Pod("shop", "orders-0", adapter.HttpPort, phase: "Pending"));
        gateway.Host.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = "shop",
                ["name"] = "orders",
                ["annotations"] = new JsonObject { [AdapterAnnotations.Adapter] = "grpc", [AdapterAnnotations.Port] = "chasi-grpc", [AdapterAnnotations.TokenSecret] = "orders-token", [AdapterAnnotations.Interval] = "2s" },
            },
            ["spec"] = new JsonObject { ["clusterIP"] = "127.0.0.1", ["ports"] = new JsonArray(new JsonObject { ["name"] = "chasi-grpc", ["port"] = adapter.GrpcPort }) },
        });
        var adapters = await GatewayHarness.EventuallyAsync(() => Task.FromResult(scheduler.Adapters), a => a.Count == 1, "the Service adapter", ct);
        Assert.Equal(("Service", AdapterTransport.Grpc, TimeSpan.FromSeconds(2)), (adapters[0].Source.Kind, adapters[0].Transport, adapters[0].Interval));
        Assert.Equal(new Uri($"http://127.0.0.1:{adapter.GrpcPort}/"), adapters[0].Address);

        gateway.Host.Apply(GatewayHarness.Pod("shop", "orders-0", adapter.HttpPort));
        await GatewayHarness.EventuallyAsync(() => Task.FromResult(scheduler.Adapters), a => a.Count == 2, "the Pod adapter", ct);
        await GatewayHarness.EventuallyAsync(() => Task.FromResult(adapter.Adapter.StatusCalls), c => c >= 3, "polls of both", ct);

        gateway.Host.Delete("v1", "Pod", "shop", "orders-0");
        var service = gateway.Host.Get("v1", "Service", "shop", "orders")!;
        service["metadata"]!["annotations"]!.AsObject().Remove(AdapterAnnotations.Adapter);
        gateway.Host.Apply(service);
        await GatewayHarness.EventuallyAsync(() => Task.FromResult(scheduler.Adapters), a => a.Count == 0, "both adapters to go", ct);
        await Task.Delay(300, ct);
        var calls = adapter.Adapter.StatusCalls;
        await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
        Assert.Equal(calls, adapter.Adapter.StatusCalls);
        Assert.Equal(0, adapter.Adapter.ExecuteRunbookCalls);
    }
}
