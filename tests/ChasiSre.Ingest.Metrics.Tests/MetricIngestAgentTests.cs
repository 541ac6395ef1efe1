using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class MetricIngestAgentTests
{
    [Fact]
    public async Task ExecuteAsync_HostWithVCluster_ScrapesSyncedPodsUnderTheVClusterTenantAndPollsResourceMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "prod" }, ct);
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Serve("cart_items 3\n");
        var directory = Directory.CreateTempSubdirectory("chasi-metrics-agent-");
        simulator.Resources.RegisterCustomResource("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", namespaced: false);
        simulator.Resources.RegisterCustomResource("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", namespaced: true);
        simulator.Apply(new JsonObject
        {
            ["apiVersion"] = "metrics.k8s.io/v1beta1",
            ["kind"] = "NodeMetrics",
            ["metadata"] = new JsonObject { ["name"] = "node-a" },
            ["timestamp"] = "2026-03-01T12:00:00Z",
            ["window"] = "15s",
            ["usage"] = new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" },
        });
        simulator.Apply(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = "team-a",
                ["namespace"] = "vcluster-team-a",
                ["labels"] = new JsonObject { ["app"] = "vcluster", ["release"] = "team-a", [TenantResolver.TenantLabel] = "acme" },
            },
        });
        var annotations = TestCluster.Scrape(target.Port);
        annotations[ScrapeTargets.IntervalAnnotation] = "200ms";
        simulator.Apply(TestCluster.Pod("vcluster-team-a", "cart-x-shop-x-team-a", "Running", "127.0.0.1", annotations));
        var options = new MetricsIngestOptions
        {
            MinScrapeInterval = TimeSpan.FromMilliseconds(100),
            DiscoveryInterval = TimeSpan.FromSeconds(1),
            ResourceInterval = TimeSpan.FromSeconds(1),
        };
        var ingest = new IngestOptions { ClusterName = "prod", Kubeconfig = simulator.WriteKubeconfig(Path.Combine(directory.FullName, "kubeconfig")) };
        var sink = new RecordingMetricSink();
        var agent = new MetricIngestAgent(Options.Create(options), Options.Create(ingest), TestCluster.Publisher(sink, options), TimeProvider.System, NullLoggerFactory.Instance);

        try
        {
            await agent.StartAsync(ct);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((sink.Named("cart_items").Count == 0 || sink.Named("node_cpu_usage_cores").Count == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }

            await agent.StopAsync(ct);
        }
        finally
        {
            agent.Dispose();
            directory.Delete(recursive: true);
        }

        var cart = sink.Named("cart_items")[0];
        Assert.Equal(("acme", Layer.Host, "vcluster-team-a", "cart-x-shop-x-team-a"), (cart.Subject.Tenant, cart.Subject.Layer, cart.Subject.Namespace, cart.Subject.Name));
        Assert.Equal(1.0, sink.Named("node_cpu_usage_cores").Single().Points.Single().Value);
    }
}
