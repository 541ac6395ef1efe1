using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>Benchmark-sized state, and the less common parts of the protocol.</summary>
public sealed class ScaleAndProtocolTests
{
    [Fact]
    public async Task ListAndWatch_TenThousandPods_EveryPodServedOnceByPagingAndByInitialWatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        const int Pods = 10_000;
        for (var i = 0; i < Pods; i++)
        {
            s.Simulator.Apply(TestObjects.Pod($"tenant-{i % 20:D2}", $"pod-{i:D5}", labels: TestObjects.Labels(("app", $"svc-{i % 7}"))));
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var page = await s.Client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next, cancellationToken: ct);
            foreach (var pod in page.Items)
            {
                Assert.True(listed.Add($"{pod.Namespace()}/{pod.Name()}"));
            }

            next = page.Metadata.ContinueProperty;
        }
        while (next is not null);

        var watched = 0;
        await foreach (var (type, _) in s.Client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: "0", timeoutSeconds: 60, cancellationToken: ct))
        {
            Assert.Equal(WatchEventType.Added, type);
            if (++watched == Pods)
            {
                break;
            }
        }

        Assert.Equal(Pods, listed.Count);
        Assert.Equal(Pods, watched);
        Assert.Equal(Pods / 500, s.Simulator.Requests.Count(SimulatorVerb.List, "pods"));
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMinutes(1));
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        s.Simulator.Apply(TestObjects.Pod("shop", "b"));

        using var response = await s.Http.GetAsync("api/v1/namespaces/shop/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1", ct);
        var lines = (await response.Content.ReadAsStringAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal(["ADDED", "ADDED", "BOOKMARK"], lines.Select(l => (string)l["type"]!));
        Assert.Equal("true", (string?)lines[2]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
        Assert.Equal(s.Simulator.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)lines[2]["object"]!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task List_PartialObjectMetadataAccept_ReturnsMetadataOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/pods");
        request.Headers.Accept.ParseAdd("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");

        using var response = await s.Http.SendAsync(request, ct);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

        Assert.Equal("PartialObjectMetadataList", (string?)list["kind"]);
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("PartialObjectMetadata", (string?)item["kind"]);
        Assert.Equal("a", (string?)item["metadata"]!["name"]);
        Assert.Null(item["spec"]);
    }

    [Fact]
    public async Task Apply_EventsV1Event_IsOneResourceWithCoreEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(JsonNode.Parse("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e1","namespace":"shop"},
             "regarding":{"kind":"Pod","name":"web"},"note":"Liveness probe failed","reason":"Unhealthy","type":"Warning",
             "reportingController":"kubelet","reportingInstance":"node-a","eventTime":"2026-11-28T03:00:00.000000Z","action":"Probe"}
            """)!.AsObject());

        var core = await s.Client.CoreV1.ReadNamespacedEventAsync("e1", "shop", cancellationToken: ct);
        var both = s.Simulator.List("v1", "Event").Count + s.Simulator.List("events.k8s.io/v1", "Event").Count;

        Assert.Equal("Liveness probe failed", core.Message);
        Assert.Equal("web", core.InvolvedObject.Name);
        Assert.Equal("shop", core.InvolvedObject.NamespaceProperty);
        Assert.Equal("kubelet", core.ReportingComponent);
        Assert.Equal(2, both);
        Assert.Equal("Liveness probe failed", (string?)s.Simulator.Get("events.k8s.io/v1", "Event", "shop", "e1")!["note"]);
    }

    [Fact]
    public async Task Discovery_VersionAndHealth_AnswerLikeV133()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();

        var version = await s.Client.Version.GetCodeAsync(ct);
        var core = await s.Client.CoreV1.GetAPIResourcesAsync(ct);
        var apps = await s.Client.AppsV1.GetAPIResourcesAsync(ct);
        using var readyz = await s.Http.GetAsync("readyz", ct);

        Assert.Equal("1", version.Major);
        Assert.Equal("33", version.Minor);
        Assert.StartsWith("v1.33.", version.GitVersion, StringComparison.Ordinal);
        Assert.Contains(core.Resources, r => r.Name == "pods/log" && r.Verbs.SequenceEqual(["get"]));
        var deployments = Assert.Single(apps.Resources, r => r.Name == "deployments");
        Assert.Equal(["deploy"], deployments.ShortNames);
        Assert.True(deployments.Namespaced);
        Assert.Equal("ok", await readyz.Content.ReadAsStringAsync(ct));
        Assert.Equal(3, s.Simulator.Requests.Count(SimulatorVerb.Discovery));
        Assert.Equal(1, s.Simulator.Requests.Count(SimulatorVerb.Health));
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsValidation()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "Not A DNS Name" }, ct));
    }
}
