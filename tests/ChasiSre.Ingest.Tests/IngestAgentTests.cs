using System.Text.Json.Nodes;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Tests;

public sealed class IngestAgentTests
{
    [Fact]
    public async Task Agent_DistributedMode_WatchesOnlyItsVClusterUnderTheConfiguredIdentity()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("team-a", ct);
        WatchReliabilityTests.Seed(simulator, pods: 3);
        var options = IngestHarness.FastOptions();
        options.Mode = IngestMode.Distributed;
        options.ClusterName = "team-a";
        options.Tenant = "alice";
        options.HostCluster = "prod-eu-1";
        options.HostNamespace = "vcluster-team-a";
        options.Kubeconfig = simulator.WriteKubeconfig(Path.Combine(harness.Directory, "in-vcluster.kubeconfig"));
        using var agent = new IngestAgent(Options.Create(options), harness.Sink, TimeProvider.System, NullLoggerFactory.Instance);

        await agent.StartAsync(ct);
        await IngestHarness.WaitUntilAsync(() => agent.Synced, "the vCluster list", ct);
        await harness.AssertConvergesAsync(simulator, "team-a", [KubeResources.Pods], ct);
        await agent.StopAsync(ct);

        var pod = (await harness.ObjectStateAsync()).Values.First(s => s.Ref.Kind == "Pod");
        Assert.Equal(Layer.Virtual, pod.Ref.Layer);
        Assert.Equal("alice", pod.Ref.Tenant);
        Assert.Equal("prod-eu-1", pod.Ref.HostCluster);
        Assert.Equal("vcluster-team-a", pod.Ref.HostNamespace);
        Assert.Equal("prod-eu-1", pod.Ref.Twin.Cluster);
        Assert.Single(agent.Clusters);
    }

    [Fact]
    public async Task Watch_K8sGptResultCrdInstalledLater_IsWatchedAfterRediscovery()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        WatchReliabilityTests.Seed(simulator, pods: 1);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);
        Assert.DoesNotContain(watch.Watchers, w => w.Resource == KubeResources.K8sGptResults);

        simulator.Resources.RegisterCustomResource("core.k8sgpt.ai", "v1alpha1", "Result", "results", namespaced: true);
        simulator.Apply(new JsonObject
        {
            ["apiVersion"] = "core.k8sgpt.ai/v1alpha1",
            ["kind"] = "Result",
            ["metadata"] = new JsonObject { ["name"] = "shopcheckout", ["namespace"] = "k8sgpt" },
            ["spec"] = JsonNode.Parse("""{"kind":"Pod","name":"shop/checkout","error":[{"text":"back-off restarting failed container"}],"parentObject":"Deployment/checkout"}"""),
        });

        await IngestHarness.WaitUntilAsync(() => watch.Watchers.Any(w => w.Resource == KubeResources.K8sGptResults && w.Synced), "a watcher for k8sgpt results", ct);
        await harness.AssertConvergesAsync(simulator, "host", [KubeResources.K8sGptResults], ct);
    }

    [Fact]
    public async Task Replay_ClusterInfoDump_ArrivesInKafka()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var dump = Path.Combine(harness.Directory, "dump");
        Directory.CreateDirectory(Path.Combine(dump, "shop", "web-0"));
        await File.WriteAllTextAsync(Path.Combine(dump, "nodes.json"), """{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"worker-1"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}]}""", ct);
        await File.WriteAllTextAsync(Path.Combine(dump, "shop", "pods.json"), """{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"web-0","namespace":"shop"},"spec":{"containers":[{"name":"app","image":"web:1"}]},"status":{"phase":"Running"}}]}""", ct);
        await File.WriteAllTextAsync(Path.Combine(dump, "shop", "events.json"), """{"kind":"EventList","apiVersion":"v1","items":[{"metadata":{"name":"web-0.1","namespace":"shop"},"involvedObject":{"kind":"Pod","namespace":"shop","name":"web-0"},"reason":"Pulled","type":"Normal","message":"ok","count":1}]}""", ct);
        foreach (var list in new[] { "services", "deployments", "replicasets", "daemonsets", "replication-controllers" })
        {
            await File.WriteAllTextAsync(Path.Combine(dump, "shop", $"{list}.json"), """{"kind":"List","apiVersion":"v1","items":[]}""", ct);
        }

        await using var replay = await ScenarioReplay.StartAsync(ClusterDumpReader.Read(dump), DateTimeOffset.UnixEpoch, cancellationToken: ct);
        await replay.RunAsync((_, _) => ValueTask.CompletedTask, (_, _) => Task.CompletedTask, ct);
        var watch = harness.Watch(replay.Host, IngestHarness.FastOptions());

        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the dump listed", ct);
        await harness.AssertConvergesAsync(replay.Host, "host", [KubeResources.Pods, new KubeResource("", "v1", "nodes", "Node", false)], ct);
        Assert.Contains((await harness.ReadAllAsync(Schemas.TopicCatalog.Events)), r => r.Message.Value is { Length: > 0 });
    }
}
