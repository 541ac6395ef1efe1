using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>Writes through the official KubernetesClient: create, update, patch, delete, dry run, status and scale.</summary>
public sealed class SimulatorWriteTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CreateNamespacedDeployment_NewThenSameName_StampsMetadataThenAlreadyExists()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var before = s.Simulator.ResourceVersion;

        var created = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct));

        Assert.Equal(1L, created.Metadata.Generation);
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Null(created.Status);
        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!;
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("deployments.apps \"web\" already exists", (string?)status["message"]);
        Assert.Equal(2, s.Simulator.Requests.Count(SimulatorVerb.Create));
        Assert.Equal(2, s.Simulator.Requests.Count(SimulatorVerb.Create, "deployments.apps"));
    }

    [Fact]
    public async Task CreateNamespacedPod_GenerateNameAndInvalidName_NamedOrRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var generated = new V1Pod { Metadata = new V1ObjectMeta { GenerateName = "rerun-" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] } };

        var created = await s.Client.CoreV1.CreateNamespacedPodAsync(generated, "shop", cancellationToken: ct);
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "Not_Valid" }, Spec = generated.Spec }, "shop", cancellationToken: ct));

        Assert.Matches("^rerun-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Name());
        Assert.Equal("Pending", created.Status.Phase);
        Assert.NotNull(s.Simulator.Get("v1", "Pod", "shop", created.Name()));
        Assert.Equal((HttpStatusCode)422, invalid.Response.StatusCode);
        var status = JsonNode.Parse(invalid.Response.Content)!;
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.StartsWith("Pod \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"", (string?)status["message"], StringComparison.Ordinal);
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task ReplaceNamespacedDeployment_StaleResourceVersion_ConflictWithApiServerStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var first = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        first.Spec.Replicas = 4;
        var second = await s.Client.AppsV1.ReplaceNamespacedDeploymentAsync(first, "web", "shop", cancellationToken: ct);
        var rvAfterSecond = s.Simulator.ResourceVersion;
        first.Spec.Replicas = 9;

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.ReplaceNamespacedDeploymentAsync(first, "web", "shop", cancellationToken: ct));

        Assert.Equal(2L, second.Metadata.Generation);
        Assert.Equal(4, second.Spec.Replicas);
        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(409, (int?)status["code"]);
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again", (string?)status["message"]);
        Assert.Equal("apps", (string?)status["details"]!["group"]);
        Assert.Equal("deployments", (string?)status["details"]!["kind"]);
        Assert.Equal(rvAfterSecond, s.Simulator.ResourceVersion);
        Assert.Equal(4, (int?)s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task ReplaceNamespacedDeployment_LabelOnlyChange_KeepsGenerationAndStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var created = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        var current = s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!;
        current["status"] = new JsonObject { ["readyReplicas"] = 2 };
        var withStatus = s.Simulator.Apply(current);
        created.Metadata.ResourceVersion = (string)withStatus["metadata"]!["resourceVersion"]!;
        created.Metadata.Labels["team"] = "checkout";
        created.Status = new V1DeploymentStatus { ReadyReplicas = 99 };

        var replaced = await s.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "shop", cancellationToken: ct);

        Assert.Equal(1L, replaced.Metadata.Generation);
        Assert.Equal("checkout", replaced.Metadata.Labels["team"]);
        Assert.Equal(2, replaced.Status.ReadyReplicas);
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
    }

    [Fact]
    public async Task PatchNamespacedConfigMap_MergeAndJsonPatch_SetAndRemoveKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        await s.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }, "shop", cancellationToken: ct);

        var merged = await s.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"10","b":null,"c":"3"}}""", V1Patch.PatchType.MergePatch), "cfg", "shop", cancellationToken: ct);
        var jsonPatched = await s.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"10"},{"op":"replace","path":"/data/a","value":"11"},{"op":"move","from":"/data/c","path":"/data/d"}]""", V1Patch.PatchType.JsonPatch), "cfg", "shop", cancellationToken: ct);
        var failedTest = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"nope"},{"op":"remove","path":"/data/a"}]""", V1Patch.PatchType.JsonPatch), "cfg", "shop", cancellationToken: ct));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["c"] = "3" }, merged.Data);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "11", ["d"] = "3" }, jsonPatched.Data);
        Assert.Equal((HttpStatusCode)422, failedTest.Response.StatusCode);
        Assert.Equal("11", (string?)s.Simulator.Get("v1", "ConfigMap", "shop", "cfg")!["data"]!["a"]);
        Assert.Equal(3, s.Simulator.Requests.Count(SimulatorVerb.Patch, "configmaps"));
    }

    [Fact]
    public async Task PatchNamespacedDeployment_StrategicMerge_MergesContainersAndEnvByName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        const string patch = """
            {"spec":{"template":{"spec":{"containers":[
              {"name":"web","env":[{"name":"MODE","value":"safe"},{"name":"NEW","value":"1"}]},
              {"name":"proxy","$patch":"delete"}
            ]}}}}
            """;

        var patched = await s.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", "shop", cancellationToken: ct);

        var container = Assert.Single(patched.Spec.Template.Spec.Containers);
        Assert.Equal("registry.local/web:1.0", container.Image);
        Assert.Equal([("MODE", "safe"), ("LOG", "info"), ("NEW", "1")], container.Env.Select(e => (e.Name, e.Value)));
        Assert.Equal(2L, patched.Metadata.Generation);
    }

    [Fact]
    public async Task PatchNamespacedDeployment_ReplicasSetFromCodeAsInt_PatchAccepted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["replicas"] = 2 },
        };
        s.Simulator.Apply(deployment);
        const string patch = """{"metadata":{"labels":{"tier":"web"}}}""";

        var patched = await s.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: ct);

        Assert.Equal(2, patched.Spec.Replicas);
        Assert.Equal("web", patched.Metadata.Labels["tier"]);
    }

    [Fact]
    public async Task PatchNamespacedDeployment_ResourceVersionInPatch_ActsAsPrecondition()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var created = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        await s.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"x":"1"}}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: ct);

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch($$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"spec":{"replicas":7}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Equal(2, (int?)s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task PatchNamespacedDeployment_UnknownContentTypeOrStrategicOnCustomResource_UnsupportedMediaType()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Resources.RegisterCustomResource("example.com", "v1", "Widget", "widgets");
        s.Simulator.Apply(JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"shop"},"spec":{"size":1}}""")!.AsObject());
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        using var text = new HttpRequestMessage(HttpMethod.Patch, "apis/apps/v1/namespaces/shop/deployments/web") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") };
        using var strategic = new HttpRequestMessage(HttpMethod.Patch, "apis/example.com/v1/namespaces/shop/widgets/w") { Content = new StringContent("""{"spec":{"size":2}}""", System.Text.Encoding.UTF8, "application/strategic-merge-patch+json") };
        using var merge = new HttpRequestMessage(HttpMethod.Patch, "apis/example.com/v1/namespaces/shop/widgets/w") { Content = new StringContent("""{"spec":{"size":3}}""", System.Text.Encoding.UTF8, "application/merge-patch+json") };

        using var textAnswer = await s.Http.SendAsync(text, ct);
        using var strategicAnswer = await s.Http.SendAsync(strategic, ct);
        using var mergeAnswer = await s.Http.SendAsync(merge, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, strategicAnswer.StatusCode);
        Assert.DoesNotContain("strategic", await strategicAnswer.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, mergeAnswer.StatusCode);
        Assert.Equal(3, (int?)s.Simulator.Get("example.com/v1", "Widget", "shop", "w")!["spec"]!["size"]);
    }

    [Fact]
    public async Task DeleteNamespacedPod_Existing_WatchSeesDeletedAndSecondDeleteIsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "web-1"));
        var rv = s.Simulator.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Bound);
        var seen = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: rv, cancellationToken: cts.Token))
            {
                seen.Add((type, pod.Name()));
                break;
            }
        }, ct);

        var deleted = await s.Client.CoreV1.DeleteNamespacedPodAsync("web-1", "shop", propagationPolicy: "Foreground", cancellationToken: ct);
        await watching.WaitAsync(Bound, ct);
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.DeleteNamespacedPodAsync("web-1", "shop", cancellationToken: ct));

        Assert.Equal("web-1", deleted.Name());
        Assert.Equal([(WatchEventType.Deleted, "web-1")], seen);
        Assert.Null(s.Simulator.Get("v1", "Pod", "shop", "web-1"));
        Assert.Equal(HttpStatusCode.NotFound, again.Response.StatusCode);
        Assert.Equal(2, s.Simulator.Requests.Count(SimulatorVerb.Delete, "pods"));
    }

    [Fact]
    public async Task DeleteNamespacedPod_StaleResourceVersionPrecondition_ConflictAndKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "web-1"));
        s.Simulator.Apply(TestObjects.Pod("shop", "web-1", phase: "Pending"));

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.DeleteNamespacedPodAsync(
            "web-1", "shop", new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } }, cancellationToken: ct));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Contains("Precondition failed: ResourceVersion in precondition: 1", ex.Response.Content, StringComparison.Ordinal);
        Assert.NotNull(s.Simulator.Get("v1", "Pod", "shop", "web-1"));
    }

    [Fact]
    public async Task DeleteNamespacedDeployment_BackgroundAndOrphan_GarbageCollectsDependentsOnlyWithoutOrphan()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        foreach (var name in new[] { "web", "api" })
        {
            var deployment = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(name), "shop", cancellationToken: ct);
            var pod = TestObjects.Pod("shop", $"{name}-pod");
            pod["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = deployment.Metadata.Uid, ["controller"] = true });
            s.Simulator.Apply(pod);
        }

        var status = await s.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", cancellationToken: ct);
        await s.Client.AppsV1.DeleteNamespacedDeploymentAsync("api", "shop", propagationPolicy: "Orphan", cancellationToken: ct);

        Assert.Equal("Success", status.Status);
        Assert.Equal("web", status.Details.Name);
        Assert.Null(s.Simulator.Get("v1", "Pod", "shop", "web-pod"));
        Assert.NotNull(s.Simulator.Get("v1", "Pod", "shop", "api-pod"));
    }

    [Fact]
    public async Task DeleteNamespace_WithObjects_DeletesItsObjectsAndKeepsOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Namespace("shop"));
        s.Simulator.Apply(TestObjects.Pod("shop", "web-1"));
        s.Simulator.Apply(TestObjects.Pod("other", "web-1"));
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);

        await s.Client.CoreV1.DeleteNamespaceAsync("shop", cancellationToken: ct);

        Assert.Null(s.Simulator.Get("v1", "Namespace", null, "shop"));
        Assert.Null(s.Simulator.Get("v1", "Pod", "shop", "web-1"));
        Assert.Null(s.Simulator.Get("apps/v1", "Deployment", "shop", "web"));
        Assert.NotNull(s.Simulator.Get("v1", "Pod", "other", "web-1"));
    }

    [Fact]
    public async Task DryRunAll_CreatePatchDeleteScale_ReturnResultButChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        var rv = s.Simulator.ResourceVersion;
        var stored = s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!.ToJsonString();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Bound);
        var events = new List<(WatchEventType, string, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, deployment) in s.Client.AppsV1.WatchListNamespacedDeploymentAsync("shop", resourceVersion: rv.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: cts.Token))
            {
                events.Add((type, deployment.Name(), deployment.GetLabel("after")));
                break;
            }
        }, ct);

        var created = await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api"), "shop", dryRun: "All", cancellationToken: ct);
        var patched = await s.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", "shop", dryRun: "All", cancellationToken: ct);
        var scaled = await s.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(
            new V1Scale { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" }, Spec = new V1ScaleSpec { Replicas = 8 } }, "web", "shop", dryRun: "All", cancellationToken: ct);
        await s.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", dryRun: "All", cancellationToken: ct);
        var badDryRun = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", dryRun: "Some", cancellationToken: ct));
        var rvAfterDryRuns = s.Simulator.ResourceVersion;
        var storedAfterDryRuns = s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!.ToJsonString();
        var apiAfterDryRuns = s.Simulator.Get("apps/v1", "Deployment", "shop", "api");
        // One real write: the first event the watch sees must be this one, not a dry run.
        await s.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"after":"dry-runs"}}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: ct);
        await watching.WaitAsync(Bound, ct);

        Assert.Equal("api", created.Name());
        Assert.Null(created.Metadata.ResourceVersion);
        Assert.Equal(5, patched.Spec.Replicas);
        Assert.Equal(8, scaled.Spec.Replicas);
        Assert.Equal(HttpStatusCode.BadRequest, badDryRun.Response.StatusCode);
        Assert.Equal(rv, rvAfterDryRuns);
        Assert.Null(apiAfterDryRuns);
        Assert.Equal(stored, storedAfterDryRuns);
        Assert.Equal([(WatchEventType.Modified, "web", "dry-runs")], events);
    }

    [Fact]
    public async Task ScaleSubresource_ReadReplacePatch_ChangesOnlyReplicas()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { Replicas = 1, ServiceName = "db", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } }, Template = Deployment("db").Spec.Template },
        };
        await s.Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, "shop", cancellationToken: ct);

        var read = await s.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: ct);
        var readReplicas = read.Spec.Replicas;
        read.Spec.Replicas = 6;
        var replaced = await s.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(read, "web", "shop", cancellationToken: ct);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(read, "web", "shop", cancellationToken: ct));
        var patched = await s.Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "db", "shop", cancellationToken: ct);
        var negative = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":-1}}""", V1Patch.PatchType.MergePatch), "db", "shop", cancellationToken: ct));

        Assert.Equal(2, readReplicas);
        Assert.Equal(0, read.Status.Replicas);
        Assert.Equal("app=web", read.Status.Selector);
        Assert.Equal(6, replaced.Spec.Replicas);
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Equal(3, patched.Spec.Replicas);
        Assert.Equal((HttpStatusCode)422, negative.Response.StatusCode);
        var deployment = s.Simulator.Get("apps/v1", "Deployment", "shop", "web")!;
        Assert.Equal(6, (int?)deployment["spec"]!["replicas"]);
        Assert.Equal(2L, (long?)deployment["metadata"]!["generation"]);
        Assert.Equal(3, (int?)s.Simulator.Get("apps/v1", "StatefulSet", "shop", "db")!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task StatusSubresource_PatchStatus_ChangesStatusOnlyAndKeepsGenerationAndIsAbsentForConfigMaps()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "shop", cancellationToken: ct);

        var patched = await s.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"spec":{"replicas":9},"status":{"readyReplicas":2,"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "shop", cancellationToken: ct);

        s.Simulator.Apply(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"shop"},"data":{"a":"1"}}""")!.AsObject());
        using var configMapStatus = new HttpRequestMessage(HttpMethod.Patch, "api/v1/namespaces/shop/configmaps/cfg/status") { Content = new StringContent("""{"status":{}}""", System.Text.Encoding.UTF8, "application/merge-patch+json") };
        using var noStatusSubresource = await s.Http.SendAsync(configMapStatus, ct);

        Assert.Equal(2, patched.Status.ReadyReplicas);
        Assert.Equal(2, patched.Spec.Replicas);
        Assert.Equal(1L, patched.Metadata.Generation);
        Assert.Equal(1, s.Simulator.Requests.Count(SimulatorVerb.Patch, "deployments.apps"));
        Assert.Equal(HttpStatusCode.NotFound, noStatusSubresource.StatusCode);
        Assert.Equal("the server could not find the requested resource", (string?)JsonNode.Parse(await noStatusSubresource.Content.ReadAsStringAsync(ct))!["message"]);
    }

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container { Name = "web", Image = "registry.local/web:1.0", Env = [new V1EnvVar { Name = "MODE", Value = "normal" }, new V1EnvVar { Name = "LOG", Value = "info" }] },
                        new V1Container { Name = "proxy", Image = "registry.local/proxy:3.1" },
                    ],
                },
            },
        },
    };
}

