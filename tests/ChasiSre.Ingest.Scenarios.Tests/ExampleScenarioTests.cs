using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.TestKit;

namespace ChasiSre.Ingest.Scenarios.Tests;

public sealed class ExampleScenarioTests
{
    [Theory]
    [InlineData("crashloop-missing-env", 2)]
    [InlineData("host-quota-rejects-twin", 2)]
    [InlineData("node-disk-pressure-evictions", 3)]
    public void Load_SharedExample_LoadsWithExpectations(string name, int clusters)
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example(name));

        Assert.Equal(name, scenario.Name);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), scenario.StartTime);
        Assert.Equal(clusters, scenario.Clusters.Count);
        Assert.Equal("host", scenario.Clusters[0].Name);
        Assert.NotNull(scenario.Expect);
        Assert.NotEmpty(scenario.Expect.Incidents);
        Assert.Equal(1, scenario.Expect.MaxIncidents);
        Assert.True(scenario.Steps.Select(s => s.At).SequenceEqual(scenario.Steps.Select(s => s.At).Order()), "steps are ordered by at");
    }

    [Fact]
    public void Build_CrashloopExample_CreatesAnnotatedTwinOnHost()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var ops = ScenarioTimeline.Build(scenario);

        var twin = ops.Single("host", "Pod", "vcluster-team-a", "checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a");
        Assert.True(twin.Generated);
        Assert.Equal(TimeSpan.Zero, twin.At);
        Assert.Equal("checkout-6d5f7c9b8-x2x9p", twin.Annotation(VClusterNaming.ObjectNameAnnotation));
        Assert.Equal("shop", twin.Annotation(VClusterNaming.ObjectNamespaceAnnotation));
        Assert.Equal("e58dc1ff-fabd-2746-bc80-03724772f790", twin.Annotation(VClusterNaming.ObjectUidAnnotation));
        Assert.Equal("/v1, Kind=Pod", twin.Annotation(VClusterNaming.ObjectKindAnnotation));
        Assert.Equal("checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a", twin.Annotation(VClusterNaming.ObjectHostNameAnnotation));
        Assert.Equal("vcluster-team-a", twin.Annotation(VClusterNaming.ObjectHostNamespaceAnnotation));
        Assert.Equal("checkout-6d5f7c9b8-x2x9p", twin.Annotation(VClusterNaming.PodNameAnnotation));
        Assert.Equal("shop", twin.Annotation(VClusterNaming.PodNamespaceAnnotation));
        Assert.Equal("e58dc1ff-fabd-2746-bc80-03724772f790", twin.Annotation(VClusterNaming.PodUidAnnotation));
        Assert.Equal("app=\"checkout\"\npod-template-hash=\"6d5f7c9b8\"", twin.Annotation(VClusterNaming.PodLabelsAnnotation));
        Assert.Equal("default", twin.Annotation(VClusterNaming.PodServiceAccountNameAnnotation));
        Assert.Equal("ReplicaSet", twin.Annotation(VClusterNaming.PodOwnerSetKindAnnotation));
        Assert.Equal("team-a", twin.Label(VClusterNaming.ManagedByLabel));
        Assert.Equal("shop", twin.Label(VClusterNaming.NamespaceLabel));
        Assert.NotNull(twin.Label(VClusterNaming.ControlledByLabel));
        Assert.Equal("checkout", twin.Label("app"));
        Assert.Null(twin.Object["metadata"]!["ownerReferences"]);
        Assert.NotEqual("e58dc1ff-fabd-2746-bc80-03724772f790", twin.Object.At("metadata", "uid"));
        Assert.Equal("vc-workload-team-a", twin.Object.At("spec", "serviceAccountName"));
        Assert.Equal(VClusterNaming.RewriteHostsContainerName, twin.Object.At("spec", "initContainers", 0, "name"));
        Assert.Equal("CrashLoopBackOff", twin.Object.At("status", "containerStatuses", 0, "state", "waiting", "reason"));
        Assert.Equal("worker-1", twin.Object.At("spec", "nodeName"));

        // Every virtual pod, service and endpoints object has exactly one twin; virtual-only kinds have none.
        foreach (var kind in new[] { "Pod", "Service", "Endpoints" })
        {
            var virtualNames = ops.Applies("team-a", kind).Select(a => a.Name).Distinct().ToList();
            var hostNames = ops.Applies("host", kind).Where(a => a.Label(VClusterNaming.ManagedByLabel) == "team-a").Select(a => a.Name).ToList();
            Assert.Equal(virtualNames.Select(n => VClusterNaming.HostName(n, "shop", "team-a")).Order(), hostNames.Order());
        }

        Assert.DoesNotContain(ops.OfType<ApplyObject>(), a => a.Cluster == "host" && a.Kind is "Deployment" or "ReplicaSet");
    }

    [Fact]
    public void Build_CrashloopExample_CreatesControlPlaneKubeconfigAndFakeNode()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var ops = ScenarioTimeline.Build(scenario);

        var statefulSet = ops.Single("host", "StatefulSet", "vcluster-team-a", "team-a");
        Assert.Equal("vcluster", statefulSet.Label("app"));
        Assert.Equal("team-a", statefulSet.Label("release"));
        Assert.Equal("team-a", statefulSet.Object.At("spec", "selector", "matchLabels", "release"));
        Assert.Equal("syncer", statefulSet.Object.At("spec", "template", "spec", "containers", 0, "name"));
        Assert.Equal("1", statefulSet.Object.At("status", "readyReplicas"));

        var pod = ops.Single("host", "Pod", "vcluster-team-a", "team-a-0");
        Assert.Equal("Running", pod.Object.At("status", "phase"));
        Assert.Equal("worker-1", pod.Object.At("spec", "nodeName"));

        var service = ops.Single("host", "Service", "vcluster-team-a", "team-a");
        Assert.Equal("true", service.Label(VClusterNaming.ServiceLabel));
        Assert.Equal("https", service.Object.At("spec", "ports", 0, "name"));
        Assert.Equal("443", service.Object.At("spec", "ports", 0, "port"));
        Assert.Equal("8443", service.Object.At("spec", "ports", 0, "targetPort"));
        ops.Single("host", "Service", "vcluster-team-a", "team-a-headless");
        ops.Single("host", "Namespace", null, "vcluster-team-a");
        ops.Single("host", "ServiceAccount", "vcluster-team-a", "vc-workload-team-a");

        var secret = ops.Single("host", "Secret", "vcluster-team-a", "vc-team-a");
        Assert.Equal("vcluster", secret.Label("app"));
        Assert.Equal("team-a", secret.Label("vcluster-name"));
        var data = (JsonObject)secret.Object["data"]!;
        Assert.Equal(["certificate-authority", "client-certificate", "client-key", "config", "token"], data.Select(p => p.Key).Order());
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String(data["config"]!.ToString()));
        Assert.Contains("server: https://localhost:8443", kubeconfig, StringComparison.Ordinal);
        var caPem = Encoding.UTF8.GetString(Convert.FromBase64String(data["certificate-authority"]!.ToString()));
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(caPem);
        var clientPem = Encoding.UTF8.GetString(Convert.FromBase64String(data["client-certificate"]!.ToString()));
        using var client = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(clientPem);
        Assert.Equal(ca.Subject, client.Issuer);
        Assert.True(client.NotBefore < scenario.StartTime.UtcDateTime && client.NotAfter > scenario.StartTime.UtcDateTime);

        var config = ops.Single("host", "Secret", "vcluster-team-a", "vc-config-team-a");
        var vclusterYaml = Encoding.UTF8.GetString(Convert.FromBase64String(config.Object.At("data", "config.yaml")!));
        Assert.Contains("toHost:", vclusterYaml, StringComparison.Ordinal);

        var fakeNode = ops.Single("team-a", "Node", null, "worker-1");
        Assert.Equal("true", fakeNode.Label(VClusterNaming.FakeNodeLabel));
        Assert.Equal("worker-1", fakeNode.Label("kubernetes.io/hostname"));
        Assert.Equal("v1.33.4", fakeNode.Object.At("status", "nodeInfo", "kubeletVersion"));
    }

    [Fact]
    public void Build_CrashloopExample_ServesLogsOnBothSidesAndMirrorsKubeletEvents()
    {
        var ops = ScenarioTimeline.Build(ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env")));

        var logs = ops.OfType<SetPodLogs>().ToList();
        Assert.Equal(2, logs.Count);
        var virtualLogs = Assert.Single(logs, l => l.Cluster == "team-a");
        var hostLogs = Assert.Single(logs, l => l.Cluster == "host");
        Assert.Equal(("shop", "checkout-6d5f7c9b8-x2x9p", "app", true), (virtualLogs.Namespace, virtualLogs.Pod, virtualLogs.Container, virtualLogs.Previous));
        Assert.Equal(("vcluster-team-a", "checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a", "app", true), (hostLogs.Namespace, hostLogs.Pod, hostLogs.Container, hostLogs.Previous));
        Assert.Equal(virtualLogs.Lines, hostLogs.Lines);
        Assert.Contains(hostLogs.Lines, l => l.Contains("DEPLOY_ENV", StringComparison.Ordinal));

        var hostEvent = ops.Single("host", "Event", "vcluster-team-a", "checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a.d0c94ebfda82aa08");
        Assert.Equal("checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a", hostEvent.Object.At("involvedObject", "name"));
        Assert.Equal("BackOff", hostEvent.Object.At("reason"));
        Assert.Equal(TimeSpan.FromSeconds(25), hostEvent.At);
    }

    [Fact]
    public void Build_QuotaExample_PodInNoTwinHasNoTwin()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("host-quota-rejects-twin"));
        var vcluster = scenario.FindCluster("team-b")!.VCluster!;
        Assert.Equal(new ObjectKey(null, "Pod", "analytics", "report-worker-5c8d9f7b6-h2j4k"), Assert.Single(vcluster.NoTwin));

        var ops = ScenarioTimeline.Build(scenario);

        Assert.NotNull(ops.Find("team-b", "Pod", "analytics", "report-worker-5c8d9f7b6-h2j4k"));
        Assert.Null(ops.Find("host", "Pod", "vcluster-team-b", "report-worker-5c8d9f7b6-h2j4k-x-analytics-x-team-b"));
        Assert.DoesNotContain(ops.OfType<ApplyObject>(), a => a.Cluster == "host" && a.Label(VClusterNaming.ManagedByLabel) == "team-b");
        // The control plane exists even though the twin was refused, and the explicit host quota is untouched.
        ops.Single("host", "StatefulSet", "vcluster-team-b", "team-b");
        Assert.False(ops.Single("host", "ResourceQuota", "vcluster-team-b", "vc-team-b").Generated);
        // The host SyncError event is about the control plane, not a twin: it stays on the host.
        Assert.Null(ops.Find("team-b", "Event", "vcluster-team-b", "report-worker.quota-1"));
        Assert.Single(ops.Applies("team-b", "Event"));
    }

    [Fact]
    public void Build_DiskPressureExample_TwinsPerVClusterAndFakeNodesFromHostNodes()
    {
        var ops = ScenarioTimeline.Build(ScenarioLoader.Load(SharedExamples.Example("node-disk-pressure-evictions")));

        var evicted = ops.Single("host", "Pod", "vcluster-team-a", "cart-84f9c6b7d-cc22d-x-shop-x-team-a");
        Assert.Equal(TimeSpan.FromSeconds(30), evicted.At);
        Assert.Equal("Evicted", evicted.Object.At("status", "reason"));
        ops.Single("host", "Pod", "vcluster-team-c", "invoicer-84f9c6b7d-cc22d-x-billing-x-team-c");
        ops.Single("host", "StatefulSet", "vcluster-team-c", "team-c");

        foreach (var vc in new[] { "team-a", "team-c" })
        {
            Assert.Equal(["worker-1", "worker-2"], ops.Applies(vc, "Node").Select(n => n.Name).Distinct().Order());
        }

        // Node events are about a host object that is not a twin: they stay on the host.
        Assert.DoesNotContain(ops.Applies("team-a", "Event"), e => e.Object.At("involvedObject", "kind") == "Node");
        Assert.True(ops.Select(o => o.At).SequenceEqual(ops.Select(o => o.At).Order()), "operations are ordered by time");
    }
}
