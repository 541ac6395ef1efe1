using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Tests;

/// <summary>
/// Issue [B]'s scenario acceptance: the shared example scenarios replay through the simulators,
/// the real watchers (host agent with vCluster discovery) publish them, and every object, host
/// twins included, arrives in Kafka with the right cluster, tenant, layer and twin references.
/// </summary>
public sealed class ScenarioIngestTests
{
    [Theory]
    [InlineData("crashloop-missing-env")]
    [InlineData("host-quota-rejects-twin")]
    [InlineData("node-disk-pressure-evictions")]
    public async Task Replay_SharedExample_ObjectsArriveWithTenantLayerAndTwins(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(SharedExamples.Example(name));
        await using var harness = IngestHarness.Start();
        await using var replay = await ScenarioReplay.StartAsync(scenario, cancellationToken: ct);
        var options = IngestHarness.FastOptions();
        foreach (var (key, url) in replay.VClusterEndpoints)
        {
            options.VClusterEndpoints[key] = url;
        }

        var tenants = new TenantResolver(null);
        await using var discovery = new VClusterDiscovery(ClusterIdentity.Host("host"), harness.Sink, tenants, options, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var discovering = discovery.RunAsync(stop.Token);
        await replay.ApplyStepAsync((_, _) => ValueTask.CompletedTask, ct);
        var host = harness.Watch(replay.Host, options, tenants: tenants, observer: discovery.ObserveAsync);
        var vclusters = scenario.Clusters.Where(c => c.VCluster is not null).ToList();
        await IngestHarness.WaitUntilAsync(() => host.Synced && discovery.Clusters.Count == vclusters.Count && discovery.Clusters.All(c => c.Synced), "host and vClusters synced", ct);
        await replay.RunAsync((_, _) => ValueTask.CompletedTask, (_, _) => Task.Delay(100, ct), ct);

        var kinds = new[] { KubeResources.Pods, KubeResources.Deployments, KubeResources.Secrets, KubeResources.StatefulSets, new KubeResource("", "v1", "nodes", "Node", false), new KubeResource("", "v1", "resourcequotas", "ResourceQuota", true) };
        foreach (var (cluster, simulator) in replay.Clusters)
        {
            await harness.AssertConvergesAsync(simulator, cluster, kinds, ct);
        }

        var state = (await harness.ObjectStateAsync()).Values.ToList();
        foreach (var vcluster in vclusters)
        {
            var hostNamespace = vcluster.VCluster!.HostNamespace;
            var virtualObjects = state.Where(s => s.Ref.Cluster == vcluster.Name).ToList();
            Assert.NotEmpty(virtualObjects);
            Assert.All(virtualObjects, s =>
            {
                Assert.Equal(Layer.Virtual, s.Ref.Layer);
                Assert.Equal(vcluster.Name, s.Ref.Tenant);
                Assert.Equal(hostNamespace, s.Ref.HostNamespace);
                Assert.Equal("host", s.Ref.HostCluster);
            });

            // Every host twin points at its virtual original, and that original exists in Kafka too.
            var twins = state.Where(s => s.Ref.Cluster == "host" && s.Ref.Twin is not null && s.Ref.Twin.Cluster == vcluster.Name).ToList();
            foreach (var twin in twins)
            {
                Assert.Equal(Layer.Host, twin.Ref.Layer);
                Assert.Equal(vcluster.Name, twin.Ref.Tenant);
                Assert.Equal(hostNamespace, twin.Ref.Namespace);
                Assert.Contains(virtualObjects, v => v.Ref.Kind == twin.Ref.Twin.Kind && v.Ref.Namespace == twin.Ref.Twin.Namespace && v.Ref.Name == twin.Ref.Twin.Name);
            }

            // Every virtual pod with a host twin names it; a pod the host refused names one that does not exist.
            foreach (var pod in virtualObjects.Where(v => v.Ref.Kind == "Pod"))
            {
                Assert.Equal(VClusterNaming.HostName(pod.Ref.Name, pod.Ref.Namespace, vcluster.Name), pod.Ref.Twin.Name);
                var refused = vcluster.VCluster.HasNoTwin("Pod", pod.Ref.Namespace, pod.Ref.Name);
                Assert.Equal(!refused && vcluster.VCluster.SyncToHost, state.Any(s => s.Ref.Cluster == "host" && s.Ref.Kind == "Pod" && s.Ref.Name == pod.Ref.Twin.Name));
            }
        }

        await stop.CancelAsync();
        await discovering;
    }
}
