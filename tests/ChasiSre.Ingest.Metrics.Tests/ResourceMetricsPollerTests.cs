using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class ResourceMetricsPollerTests
{
    private const string Stamp = "2026-03-01T12:00:00Z";
    private static readonly MetricsIngestOptions Options = new() { ResourceInterval = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task PollOnceAsync_HostCluster_PublishesPodAndNodeUsageWithSubjectsAndTenants()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        Register(cluster);
        cluster.Simulator.Apply(NodeMetrics("node-a", "2500m", "8Gi", Stamp));
        cluster.Simulator.Apply(PodMetrics("ns-alice", "web-1", Stamp, ("app", "12345678n", "123456Ki"), ("sidecar", "1m", "10Mi")));
        cluster.Simulator.Apply(PodMetrics("kube-system", "coredns-1", Stamp, ("coredns", "3m", "20Mi")));
        var sink = new RecordingMetricSink();

        var result = await Poller(cluster, sink, ClusterIdentity.Host("prod")).PollOnceAsync(ct);

        Assert.Equal(new ResourcePollResult(true, 1, 2, 8, 8, 0), result);
        var cpu = sink.Named("container_cpu_usage_cores").Single(s => s.Labels["container"] == "app");
        Assert.Equal(0.012345678, cpu.Points.Single().Value, 12);
        Assert.Equal(DateTimeOffset.Parse(Stamp, System.Globalization.CultureInfo.InvariantCulture), cpu.Points.Single().At.ToDateTimeOffset());
        Assert.Equal("cores", cpu.Unit);
        Assert.Equal("container_cpu_usage_cores{container=\"app\",namespace=\"ns-alice\",pod=\"web-1\"}", cpu.Series);
        Assert.Equal(("Pod", "ns-alice", "web-1", "alice", Layer.Host), (cpu.Subject.Kind, cpu.Subject.Namespace, cpu.Subject.Name, cpu.Subject.Tenant, cpu.Subject.Layer));
        Assert.Equal("prod/container_cpu_usage_cores{container=\"app\",namespace=\"ns-alice\",pod=\"web-1\"}", RecordKeys.ForSeries(cpu));
        var memory = sink.Named("container_memory_working_set_bytes").Single(s => s.Labels["container"] == "app");
        Assert.Equal(126_418_944, memory.Points.Single().Value);
        Assert.Equal("", sink.Named("container_memory_working_set_bytes").Single(s => s.Labels["pod"] == "coredns-1").Subject.Tenant);
        var node = sink.Named("node_cpu_usage_cores").Single();
        Assert.Equal(2.5, node.Points.Single().Value);
        Assert.Equal(("Node", "node-a", ""), (node.Subject.Kind, node.Subject.Name, node.Subject.Tenant));
        Assert.Equal(8L * 1024 * 1024 * 1024, sink.Named("node_memory_working_set_bytes").Single().Points.Single().Value);
    }

    [Fact]
    public async Task PollOnceAsync_VCluster_UsesItsIdentityAndTenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("team-a", ct);
        Register(cluster);
        cluster.Simulator.Apply(PodMetrics("shop", "checkout-1", Stamp, ("checkout", "100m", "64Mi")));
        var sink = new RecordingMetricSink();
        var identity = ClusterIdentity.VCluster("team-a", "acme", "prod", "vcluster-team-a");

        await Poller(cluster, sink, identity).PollOnceAsync(ct);

        var cpu = sink.Named("container_cpu_usage_cores").Single();
        Assert.Equal(("team-a", "acme", Layer.Virtual, "prod", "vcluster-team-a"), (cpu.Subject.Cluster, cpu.Subject.Tenant, cpu.Subject.Layer, cpu.Subject.HostCluster, cpu.Subject.HostNamespace));
        Assert.StartsWith("prod/vcluster-team-a/team-a/container_cpu_usage_cores{", RecordKeys.ForSeries(cpu), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollOnceAsync_NoMetricsServer_ReportsNotServedWithoutError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("bare", ct);
        var sink = new RecordingMetricSink();

        var result = await Poller(cluster, sink, ClusterIdentity.Host("bare")).PollOnceAsync(ct);

        Assert.False(result.Served);
        Assert.Empty(sink.Samples);
    }

    [Fact]
    public async Task PollOnceAsync_MetricsServerNotRefreshed_DropsDuplicatesThenPublishesNewWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        Register(cluster);
        cluster.Simulator.Apply(PodMetrics("ns-alice", "web-1", Stamp, ("app", "10m", "1Mi")));
        var sink = new RecordingMetricSink();
        var poller = Poller(cluster, sink, ClusterIdentity.Host("prod"));

        var first = await poller.PollOnceAsync(ct);
        var same = await poller.PollOnceAsync(ct);
        cluster.Simulator.Apply(PodMetrics("ns-alice", "web-1", "2026-03-01T12:00:15Z", ("app", "20m", "2Mi")));
        var refreshed = await poller.PollOnceAsync(ct);

        Assert.Equal((2, 2), (first.Points, first.Published));
        Assert.Equal((2, 0), (same.Points, same.Published));
        Assert.Equal((2, 2), (refreshed.Points, refreshed.Published));
        Assert.Equal([0.01, 0.02], sink.Named("container_cpu_usage_cores").Select(s => s.Points.Single().Value));
    }

    [Fact]
    public async Task PollOnceAsync_InvalidItem_DeadLettersItAndPublishesTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        Register(cluster);
        cluster.Simulator.Apply(PodMetrics("ns-alice", "good", Stamp, ("app", "10m", "1Mi")));
        cluster.Simulator.Apply(PodMetrics("ns-alice", "bad", Stamp, ("app", "10m", "1Mi"), ("broken", "lots", "1Mi")));
        cluster.Simulator.Apply(NodeMetrics("node-x", "1", "1Gi", "yesterday"));
        var sink = new RecordingMetricSink();

        var result = await Poller(cluster, sink, ClusterIdentity.Host("prod")).PollOnceAsync(ct);

        Assert.Equal(2, result.Invalid);
        Assert.Equal(2, result.Published);
        Assert.All(sink.Samples, s => Assert.Equal("good", s.Labels["pod"]));
        var podLetter = sink.DeadLetters.Single(d => d.Letter.ErrorMessage.Contains("lots", StringComparison.Ordinal));
        Assert.Equal(DeadLetterKinds.Normalize, podLetter.Letter.ErrorKind);
        Assert.Equal("prod/core/Pod/ns-alice/bad", podLetter.Key);
        Assert.Contains("\"broken\"", podLetter.Letter.OriginalValue.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Contains(sink.DeadLetters, d => d.Key == "prod/core/Node//node-x" && d.Letter.ErrorMessage.Contains("yesterday", StringComparison.Ordinal));
    }

    private static ResourceMetricsPoller Poller(TestCluster cluster, RecordingMetricSink sink, ClusterIdentity identity) =>
        new(
            cluster.Client,
            identity,
            new TenantResolver(new Regex("^ns-(?<tenant>[a-z0-9-]+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
            TestCluster.Publisher(sink, Options),
            Options,
            TimeProvider.System,
            NullLogger<ResourceMetricsPoller>.Instance);

    private static void Register(TestCluster cluster)
    {
        cluster.Simulator.Resources.RegisterCustomResource("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", namespaced: true);
        cluster.Simulator.Resources.RegisterCustomResource("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", namespaced: false);
    }

    private static JsonObject NodeMetrics(string name, string cpu, string memory, string timestamp) => new()
    {
        ["apiVersion"] = "metrics.k8s.io/v1beta1",
        ["kind"] = "NodeMetrics",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["timestamp"] = timestamp,
        ["window"] = "15s",
        ["usage"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory },
    };

    private static JsonObject PodMetrics(string ns, string name, string timestamp, params (string Name, string Cpu, string Memory)[] containers) => new()
    {
        ["apiVersion"] = "metrics.k8s.io/v1beta1",
        ["kind"] = "PodMetrics",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["timestamp"] = timestamp,
        ["window"] = "15s",
        ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["usage"] = new JsonObject { ["cpu"] = c.Cpu, ["memory"] = c.Memory },
        })]),
    };
}
