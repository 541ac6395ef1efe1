using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using k8s;
using k8s.Models;

namespace ChasiSre.Operator.Tests;

public sealed class SreAgentReconcilerTests
{
    private const string Ns = "chasi-system";

    [Fact]
    public async Task ReconcileAsync_CentralizedAgent_AppliesOwnedWorkloadsAndReportsReady()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var created = await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "prod", Agents.Centralized(), ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);

        Assert.NotNull(outcome);
        Assert.True(outcome.Ready, outcome.ReadyMessage);
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        foreach (var (kind, name) in new[] { ("Deployment", "prod-ingest"), ("Deployment", "prod-gateway"), ("StatefulSet", "prod-streams"), ("Deployment", "prod-sink"), ("Deployment", "prod-diagnosis"), ("Deployment", "prod-api") })
        {
            var workload = world.Get("apps/v1", kind, Ns, name);
            Assert.True(workload is not null, $"{kind} {name} was not applied");
            var owner = Assert.Single(workload["metadata"]!["ownerReferences"]!.AsArray())!;
            Assert.Equal(uid, owner["uid"]!.GetValue<string>());
            Assert.True(owner["controller"]!.GetValue<bool>());
            Assert.Equal($"{Ns}.prod", workload["metadata"]!["labels"]![ChasiResources.AgentLabel]!.GetValue<string>());
        }

        Assert.Equal(3, world.Get("apps/v1", "Deployment", Ns, "prod-sink")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.NotNull(world.Get("v1", "ConfigMap", Ns, "prod-config"));
        Assert.NotNull(world.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, $"{Ns}-prod-ingest"));
        Assert.NotNull(world.Get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, $"{Ns}-prod-gateway"));

        var agent = world.Resource(ChasiResources.SreAgentKind, Ns, "prod");
        Assert.Equal(1, agent["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal("True", OperatorWorld.Condition(agent, "Valid")!["status"]!.GetValue<string>());
        Assert.Equal("Applied", OperatorWorld.Condition(agent, "Ready")!["reason"]!.GetValue<string>());
        Assert.Equal(6, agent["status"]!["workloads"]!.AsArray().Count);
        var events = await world.Client.CoreV1.ListNamespacedEventAsync(Ns, cancellationToken: ct);
        Assert.Contains(events.Items, e => e.InvolvedObject.Name == "prod" && e.Reason == "Applied" && e.Type == "Normal");
    }

    [Fact]
    public async Task ReconcileAsync_WorkloadChangedByHand_PutsItBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "prod", Agents.Centralized("ingest", "sink"), ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);
        var expected = world.Get("apps/v1", "Deployment", Ns, "prod-sink")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

        // Someone edits the Deployment: another image and one replica.
        var drifted = world.Get("apps/v1", "Deployment", Ns, "prod-sink")!;
        drifted["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "evil.example.com/chasi:latest";
        drifted["spec"]!["replicas"] = 1;
        world.Host.Apply(drifted);

        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);

        var restored = world.Get("apps/v1", "Deployment", Ns, "prod-sink")!;
        Assert.Equal(expected, restored["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(3, restored["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReconcileAsync_ComponentDropped_DeletesItsWorkloadAndRbac()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "prod", Agents.Centralized("ingest", "sink"), ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);
        Assert.NotNull(world.Get("apps/v1", "Deployment", Ns, "prod-ingest"));

        var agent = world.Resource(ChasiResources.SreAgentKind, Ns, "prod");
        agent["spec"]!["components"] = new JsonArray("sink");
        world.Host.Apply(agent);
        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);

        Assert.Null(world.Get("apps/v1", "Deployment", Ns, "prod-ingest"));
        Assert.Null(world.Get("v1", "ServiceAccount", Ns, "prod-ingest"));
        Assert.Null(world.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, $"{Ns}-prod-ingest"));
        Assert.NotNull(world.Get("apps/v1", "Deployment", Ns, "prod-sink"));
    }

    [Fact]
    public async Task ReconcileAsync_AgentDeleted_GarbageCollectsHostObjectsAndRemovesClusterRbac()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "prod", Agents.Centralized("ingest", "sink"), ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", cancellationToken: ct);
        var lastKnown = world.Resource(ChasiResources.SreAgentKind, Ns, "prod");

        await world.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ChasiResources.Group, ChasiResources.Version, Ns, ChasiResources.SreAgents, "prod", new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct);
        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "prod", lastKnown, ct);

        Assert.Null(outcome);
        Assert.Null(world.Get("apps/v1", "Deployment", Ns, "prod-ingest"));
        Assert.Null(world.Get("apps/v1", "Deployment", Ns, "prod-sink"));
        Assert.Null(world.Get("v1", "ConfigMap", Ns, "prod-config"));
        Assert.Null(world.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, $"{Ns}-prod-ingest"));
        Assert.Null(world.Get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, $"{Ns}-prod-ingest"));
    }

    [Fact]
    public async Task ReconcileAsync_SaslWithoutUser_ReportsInvalidAndAppliesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var spec = Agents.Centralized("sink");
        spec["endpoints"]!["kafka"]!["sasl"]!.AsObject().Remove("username");
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "broken", spec, ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "broken", cancellationToken: ct);

        Assert.False(outcome!.Valid);
        var valid = OperatorWorld.Condition(world.Resource(ChasiResources.SreAgentKind, Ns, "broken"), "Valid")!;
        Assert.Equal("False", valid["status"]!.GetValue<string>());
        Assert.Equal("SpecInvalid", valid["reason"]!.GetValue<string>());
        Assert.Contains("needs sasl.username", valid["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(world.Get("apps/v1", "Deployment", Ns, "broken-sink"));
        var events = await world.Client.CoreV1.ListNamespacedEventAsync(Ns, cancellationToken: ct);
        Assert.Contains(events.Items, e => e.InvolvedObject.Name == "broken" && e.Type == "Warning" && e.Reason == "SpecInvalid");
    }

    [Fact]
    public async Task ReconcileAsync_DistributedAgent_AppliesIngestInsideSelectedVClustersOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        await using var teamA = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "team-a" }, ct);
        await using var teamB = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "team-b" }, ct);
        AddVCluster(world, teamA, "team-a", "ns-team-a", tier: "gold");
        AddVCluster(world, teamB, "team-b", "ns-team-b", tier: "free");
        // The endpoint template stands in for https://team-a.ns-team-a:443; team-b's is never dialled since the selector excludes it.
        var selector = new JsonObject { ["matchLabels"] = new JsonObject { ["tier"] = "gold" } };
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "agents", Agents.Distributed($"http://127.0.0.1:{teamA.BaseAddress.Port}", selector), ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "agents", cancellationToken: ct);

        Assert.True(outcome!.Ready, outcome.ReadyMessage);
        var inside = teamA.Get("apps/v1", "Deployment", "chasi-agent", "agents-ingest");
        Assert.NotNull(inside);
        Assert.NotNull(teamA.Get("v1", "Namespace", null, "chasi-agent"));
        Assert.NotNull(teamA.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, "chasi-agent-agents-ingest"));
        var settings = JsonNode.Parse(teamA.Get("v1", "ConfigMap", "chasi-agent", "agents-config")!["data"]!["appsettings.json"]!.GetValue<string>())!;
        Assert.Equal("Distributed", settings["Ingest"]!["Mode"]!.GetValue<string>());
        Assert.Equal("team-a", settings["Ingest"]!["ClusterName"]!.GetValue<string>());
        Assert.Equal("team-a", settings["Ingest"]!["Tenant"]!.GetValue<string>());
        Assert.Equal("prod-host", settings["Ingest"]!["HostCluster"]!.GetValue<string>());
        Assert.Equal("ns-team-a", settings["Ingest"]!["HostNamespace"]!.GetValue<string>());
        Assert.Empty(teamB.List("apps/v1", "Deployment"));
        // On the host: the pipeline, with vCluster discovery off (the agents inside watch their vClusters).
        var hostSettings = JsonNode.Parse(world.Get("v1", "ConfigMap", Ns, "agents-config")!["data"]!["appsettings.json"]!.GetValue<string>())!;
        Assert.False(hostSettings["Ingest"]!["DiscoverVClusters"]!.GetValue<bool>());
        var status = world.Resource(ChasiResources.SreAgentKind, Ns, "agents")["status"]!["vclusters"]!.AsArray();
        var entry = Assert.Single(status)!;
        Assert.Equal("team-a", entry["name"]!.GetValue<string>());
        Assert.True(entry["ready"]!.GetValue<bool>());

        // The vCluster leaves the scope: the agent inside it is removed.
        var agent = world.Resource(ChasiResources.SreAgentKind, Ns, "agents");
        agent["spec"]!["scope"]!["vclusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["tier"] = "platinum" } };
        world.Host.Apply(agent);
        await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "agents", cancellationToken: ct);

        Assert.Null(teamA.Get("apps/v1", "Deployment", "chasi-agent", "agents-ingest"));
        Assert.Null(teamA.Get("v1", "Namespace", null, "chasi-agent"));
        Assert.Null(teamA.Get("rbac.authorization.k8s.io/v1", "ClusterRole", null, "chasi-agent-agents-ingest"));
        Assert.Empty(world.Resource(ChasiResources.SreAgentKind, Ns, "agents")["status"]!["vclusters"]!.AsArray());
    }

    [Fact]
    public async Task ReconcileAsync_VClusterWithoutKubeconfigSecret_ReportsNotReadyNamingTheSecret()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        world.Host.Apply(VClusterStatefulSet("team-c", "ns-team-c", "gold"));
        await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "agents", Agents.Distributed("https://{name}.{namespace}:443"), ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.SreAgentKind, Ns, "agents", cancellationToken: ct);

        Assert.False(outcome!.Ready);
        var ready = OperatorWorld.Condition(world.Resource(ChasiResources.SreAgentKind, Ns, "agents"), "Ready")!;
        Assert.Equal("VClusterFailed", ready["reason"]!.GetValue<string>());
        Assert.Contains("secret ns-team-c/vc-team-c not found", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static void AddVCluster(OperatorWorld world, ApiServerSimulator vcluster, string name, string ns, string tier)
    {
        world.Host.Apply(VClusterStatefulSet(name, ns, tier));
        var kubeconfig = File.ReadAllBytes(vcluster.WriteKubeconfig(Path.Combine(world.Directory, name + ".kubeconfig")));
        world.Host.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "vc-" + name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "vcluster", ["vcluster-name"] = name } },
            ["data"] = new JsonObject { ["config"] = Convert.ToBase64String(kubeconfig) },
        });
    }

    private static JsonObject VClusterStatefulSet(string name, string ns, string tier) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "StatefulSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "vcluster", ["release"] = name, ["tier"] = tier } },
        ["spec"] = new JsonObject { ["replicas"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "vcluster", ["release"] = name } } },
    };
}
