using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>
/// The official kubectl v1.33 writing to the simulator: client-side and server-side apply, server dry run,
/// scale, rollout restart, delete, cordon and patch, with what kubectl prints and what the store then holds.
/// </summary>
public sealed class KubectlWriteTests : IDisposable
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels:
            app: web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: registry.local/shop/web:1.0
                env:
                - name: MODE
                  value: normal
              - name: sidecar
                image: registry.local/shop/proxy:3.1
        """;

    private readonly DirectoryInfo _manifests = Directory.CreateTempSubdirectory("chasi-manifests-");

    public void Dispose() => _manifests.Delete(recursive: true);

    [Fact]
    public async Task Apply_SameFileTwiceThenChanged_CreatedUnchangedConfigured()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        using var kubectl = new Kubectl(simulator);
        var file = Manifest("web.yaml", Deployment);

        var created = await kubectl.RunAsync(ct, "apply", "-f", file);
        var afterCreate = simulator.ResourceVersion;
        var unchanged = await kubectl.RunAsync(ct, "apply", "-f", file);
        var afterUnchanged = simulator.ResourceVersion;
        Manifest("web.yaml", Deployment.Replace("web:1.0", "web:1.1", StringComparison.Ordinal));
        var configured = await kubectl.RunAsync(ct, "apply", "-f", file);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("deployment.apps/web created", created.Stdout.Trim());
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Equal("deployment.apps/web unchanged", unchanged.Stdout.Trim());
        Assert.Equal(afterCreate, afterUnchanged);
        Assert.True(configured.ExitCode == 0, configured.ToString());
        Assert.Equal("deployment.apps/web configured", configured.Stdout.Trim());
        var stored = simulator.Get("apps/v1", "Deployment", "shop", "web")!;
        var containers = stored["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("registry.local/shop/web:1.1", (string?)containers[0]!["image"]);
        Assert.Equal("normal", (string?)containers[0]!["env"]![0]!["value"]);
        Assert.Equal(2L, (long?)stored["metadata"]!["generation"]);
        var lastApplied = JsonNode.Parse((string)stored["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!)!;
        Assert.Equal("registry.local/shop/web:1.1", (string?)lastApplied["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task ApplyDryRunServer_NewAndChangedObject_ReportsDryRunAndStoresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        using var kubectl = new Kubectl(simulator);
        var file = Manifest("web.yaml", Deployment);

        var createDryRun = await kubectl.RunAsync(ct, "apply", "--dry-run=server", "-f", file);
        var absent = simulator.Get("apps/v1", "Deployment", "shop", "web");
        await kubectl.RunAsync(ct, "apply", "-f", file);
        var before = simulator.ResourceVersion;
        Manifest("web.yaml", Deployment.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal));
        var changeDryRun = await kubectl.RunAsync(ct, "apply", "--dry-run=server", "-f", file, "-o", "jsonpath={.spec.replicas}");

        Assert.True(createDryRun.ExitCode == 0, createDryRun.ToString());
        Assert.Equal("deployment.apps/web created (server dry run)", createDryRun.Stdout.Trim());
        Assert.Null(absent);
        Assert.True(changeDryRun.ExitCode == 0, changeDryRun.ToString());
        Assert.Equal("5", changeDryRun.Stdout.Trim());
        Assert.Equal(before, simulator.ResourceVersion);
        Assert.Equal(2, (int?)simulator.Get("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task ApplyServerSide_NewThenChanged_ServerSideAppliedAndMerged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        using var kubectl = new Kubectl(simulator);
        var file = Manifest("web.yaml", Deployment);

        var first = await kubectl.RunAsync(ct, "apply", "--server-side", "-f", file);
        Manifest("web.yaml", Deployment.Replace("value: normal", "value: degraded", StringComparison.Ordinal));
        var second = await kubectl.RunAsync(ct, "apply", "--server-side", "-f", file);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("deployment.apps/web serverside-applied", first.Stdout.Trim());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("deployment.apps/web serverside-applied", second.Stdout.Trim());
        var containers = simulator.Get("apps/v1", "Deployment", "shop", "web")!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("degraded", (string?)containers[0]!["env"]![0]!["value"]);
        Assert.Equal(2, containers.Count);
    }

    [Fact]
    public async Task Scale_Deployment_SetsReplicasThroughScaleSubresource()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        using var kubectl = new Kubectl(simulator);
        await kubectl.RunAsync(ct, "apply", "-f", Manifest("web.yaml", Deployment));

        var result = await kubectl.RunAsync(ct, "scale", "deploy/web", "-n", "shop", "--replicas=3");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("deployment.apps/web scaled", result.Stdout.Trim());
        Assert.Equal(3, (int?)simulator.Get("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"]);
        Assert.True(simulator.Requests.Count(SimulatorVerb.Patch, "deployments.apps") + simulator.Requests.Count(SimulatorVerb.Update, "deployments.apps") >= 1);
    }

    [Fact]
    public async Task RolloutRestart_Deployment_StampsTemplateAnnotationAndBumpsGeneration()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        using var kubectl = new Kubectl(simulator);
        await kubectl.RunAsync(ct, "apply", "-f", Manifest("web.yaml", Deployment));

        var result = await kubectl.RunAsync(ct, "rollout", "restart", "deploy/web", "-n", "shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("deployment.apps/web restarted", result.Stdout.Trim());
        var stored = simulator.Get("apps/v1", "Deployment", "shop", "web")!;
        var restartedAt = (string?)stored["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"];
        Assert.True(DateTimeOffset.TryParse(restartedAt, System.Globalization.CultureInfo.InvariantCulture, out _), restartedAt);
        Assert.Equal(2L, (long?)stored["metadata"]!["generation"]);
        Assert.Equal(2, stored["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
        Assert.Equal(1, simulator.Requests.Count(SimulatorVerb.Patch, "deployments.apps"));
    }

    [Fact]
    public async Task DeletePod_ExistingPod_DeletedAndKubectlWaitsForIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        simulator.Apply(TestObjects.Pod("shop", "web-1"));
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "delete", "pod", "web-1", "-n", "shop");
        var again = await kubectl.RunAsync(ct, "delete", "pod", "web-1", "-n", "shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("^pod \"web-1\" deleted", result.Stdout.Trim());
        Assert.Null(simulator.Get("v1", "Pod", "shop", "web-1"));
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("pods \"web-1\" not found", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CordonThenUncordon_Node_TogglesUnschedulable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        simulator.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = "node-a", ["labels"] = TestObjects.Labels(("kubernetes.io/hostname", "node-a")) },
            ["spec"] = new JsonObject { ["podCIDR"] = "10.244.1.0/24" },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
        });
        using var kubectl = new Kubectl(simulator);

        var cordon = await kubectl.RunAsync(ct, "cordon", "node-a");
        var cordoned = simulator.Get("v1", "Node", null, "node-a")!;
        var uncordon = await kubectl.RunAsync(ct, "uncordon", "node-a");

        Assert.True(cordon.ExitCode == 0, cordon.ToString());
        Assert.Equal("node/node-a cordoned", cordon.Stdout.Trim());
        Assert.True((bool?)cordoned["spec"]!["unschedulable"]);
        Assert.Equal("10.244.1.0/24", (string?)cordoned["spec"]!["podCIDR"]);
        Assert.Equal("True", (string?)cordoned["status"]!["conditions"]![0]!["status"]);
        Assert.True(uncordon.ExitCode == 0, uncordon.ToString());
        Assert.Equal("node/node-a uncordoned", uncordon.Stdout.Trim());
        Assert.Null(simulator.Get("v1", "Node", null, "node-a")!["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task PatchConfigMapMerge_SetsOneKeyAndKeepsOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartAsync(ct);
        simulator.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "web-config", ["namespace"] = "shop" },
            ["data"] = new JsonObject { ["POOL_SIZE"] = "5", ["TIMEOUT"] = "30s" },
        });
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "patch", "configmap", "web-config", "-n", "shop", "--type", "merge", "-p", """{"data":{"POOL_SIZE":"20"}}""");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("configmap/web-config patched", result.Stdout.Trim());
        var data = simulator.Get("v1", "ConfigMap", "shop", "web-config")!["data"]!;
        Assert.Equal("20", (string?)data["POOL_SIZE"]);
        Assert.Equal("30s", (string?)data["TIMEOUT"]);
    }

    private static async Task<ApiServerSimulator> StartAsync(CancellationToken ct)
    {
        var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "kubectl-write" }, ct);
        simulator.Apply(TestObjects.Namespace("shop"));
        return simulator;
    }

    private string Manifest(string name, string yaml)
    {
        var path = Path.Combine(_manifests.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
