using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>The official KubernetesClient (and plain HTTP where headers matter) against the simulator.</summary>
public sealed class ApiServerSimulatorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ListPodForAllNamespaces_WithLimit_PagesThroughEveryPodInKeyOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var expected = new List<string>();
        foreach (var ns in new[] { "b-team", "a-team" })
        {
            for (var i = 0; i < 12; i++)
            {
                s.Simulator.Apply(TestObjects.Pod(ns, $"pod-{i:D2}"));
                expected.Add($"{ns}/pod-{i:D2}");
            }
        }

        expected.Sort(StringComparer.Ordinal);
        var seen = new List<string>();
        var pages = 0;
        string? next = null;
        string? listRv = null;
        do
        {
            var page = await s.Client.CoreV1.ListPodForAllNamespacesAsync(limit: 10, continueParameter: next, cancellationToken: ct);
            pages++;
            listRv ??= page.Metadata.ResourceVersion;
            Assert.Equal(listRv, page.Metadata.ResourceVersion);
            seen.AddRange(page.Items.Select(p => $"{p.Namespace()}/{p.Name()}"));
            next = page.Metadata.ContinueProperty;
            if (next is not null)
            {
                Assert.Equal(24 - seen.Count, page.Metadata.RemainingItemCount);
            }
        }
        while (next is not null);

        Assert.Equal(3, pages);
        Assert.Equal(expected, seen);
        Assert.Equal(3, s.Simulator.Requests.Count(SimulatorVerb.List, "pods"));
    }

    [Fact]
    public async Task ListNamespacedPod_WithLabelAndFieldSelectors_ReturnsOnlyMatches()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "web-1", labels: TestObjects.Labels(("app", "web"), ("tier", "front"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "web-2", node: "node-b", labels: TestObjects.Labels(("app", "web"), ("tier", "front"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "web-canary", labels: TestObjects.Labels(("app", "web"), ("tier", "front"), ("canary", "true"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "web-pending", phase: "Pending", labels: TestObjects.Labels(("app", "web"), ("tier", "front"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "db-0", labels: TestObjects.Labels(("app", "db"))));
        s.Simulator.Apply(TestObjects.Pod("other", "web-1", labels: TestObjects.Labels(("app", "web"), ("tier", "front"))));

        var bySelectors = await s.Client.CoreV1.ListNamespacedPodAsync("shop", labelSelector: "app==web,tier in (front, back),!canary", fieldSelector: "status.phase=Running,spec.nodeName!=node-b", cancellationToken: ct);
        var notWeb = await s.Client.CoreV1.ListNamespacedPodAsync("shop", labelSelector: "app!=web", cancellationToken: ct);
        var notIn = await s.Client.CoreV1.ListNamespacedPodAsync("shop", labelSelector: "app notin (db),canary", cancellationToken: ct);
        var byName = await s.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=web-1", cancellationToken: ct);

        Assert.Equal(["web-1"], bySelectors.Items.Select(p => p.Name()));
        Assert.Equal(["db-0"], notWeb.Items.Select(p => p.Name()));
        Assert.Equal(["web-canary"], notIn.Items.Select(p => p.Name()));
        Assert.Equal(["other/web-1", "shop/web-1"], byName.Items.Select(p => $"{p.Namespace()}/{p.Name()}"));
    }

    [Fact]
    public async Task ListNamespacedEvent_FieldSelectorOnInvolvedObject_ReturnsThatObjectsEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        ShopScenario.Load(s.Simulator, DateTimeOffset.UtcNow);
        s.Simulator.Apply(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"other.1","namespace":"shop"},
             "involvedObject":{"kind":"Pod","name":"other","namespace":"shop"},"reason":"Pulled","type":"Normal","source":{"component":"kubelet"}}
            """)!.AsObject());

        var events = await s.Client.CoreV1.ListNamespacedEventAsync(ShopScenario.Namespace, fieldSelector: $"involvedObject.kind=Pod,involvedObject.name={ShopScenario.Pod},type!=Normal", cancellationToken: ct);
        var fromKubelet = await s.Client.CoreV1.ListNamespacedEventAsync(ShopScenario.Namespace, fieldSelector: "source=kubelet,reason=Pulled", cancellationToken: ct);
        var asEventsV1 = await s.Client.EventsV1.ListNamespacedEventAsync(ShopScenario.Namespace, fieldSelector: $"regarding.name={ShopScenario.Pod}", cancellationToken: ct);
        var unsupported = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ListNamespacedPodAsync("shop", fieldSelector: "spec.containers.image=x", cancellationToken: ct));

        var backOff = Assert.Single(events.Items);
        Assert.Equal("BackOff", backOff.Reason);
        Assert.Equal(["other.1"], fromKubelet.Items.Select(e => e.Name()));
        var note = Assert.Single(asEventsV1.Items);
        Assert.Equal(backOff.Message, note.Note);
        Assert.Equal(ShopScenario.Pod, note.Regarding.Name);
        Assert.Equal(23, note.DeprecatedCount);
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.Response.StatusCode);
        Assert.Contains("field label not supported: spec.containers.image", unsupported.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadNamespacedPod_UnknownName_Returns404Status()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ReadNamespacedPodAsync("nope", "shop", cancellationToken: ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("pods \"nope\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Apply_ReplacesObject_FillsServerFieldsAndBumpsGenerationOnSpecChange()
    {
        await using var s = await SimulatorClient.StartAsync();
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"shop"},"spec":{"replicas":1},"status":{"replicas":1}}
            """)!.AsObject();

        var created = s.Simulator.Apply(deployment);
        deployment["status"]!["replicas"] = 2;
        var statusOnly = s.Simulator.Apply(deployment);
        deployment["spec"]!["replicas"] = 3;
        var specChanged = s.Simulator.Apply(deployment);

        Assert.NotNull((string?)created["metadata"]!["uid"]);
        Assert.NotNull((string?)created["metadata"]!["creationTimestamp"]);
        Assert.Equal(1L, (long)created["metadata"]!["generation"]!);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)specChanged["metadata"]!["uid"]);
        Assert.Equal(1L, (long)statusOnly["metadata"]!["generation"]!);
        Assert.Equal(2L, (long)specChanged["metadata"]!["generation"]!);
        Assert.True(long.Parse((string)specChanged["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse((string)statusOnly["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(deployment["metadata"]!["uid"]);
        Assert.Equal(3, (int)s.Simulator.Get("apps/v1", "Deployment", "shop", "api")!["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Apply_UnregisteredKind_ThrowsNamingRegistration()
    {
        await using var s = await SimulatorClient.StartAsync();
        var result = JsonNode.Parse("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"shop"}}""")!.AsObject();

        var ex = Assert.Throws<UnknownKindException>(() => s.Simulator.Apply(result));

        Assert.Contains("RegisterCustomResource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchListNamespacedPod_ApplyModifyDelete_StreamsAddedModifiedDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "existing"));
        var list = await s.Client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Bound);
        var events = new List<(WatchEventType Type, string Name, string? Phase, string Rv)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                events.Add((type, pod.Name(), pod.Status?.Phase, pod.ResourceVersion()));
                if (type == WatchEventType.Deleted)
                {
                    break;
                }
            }
        }, ct);

        // The watch resumes from the list's resourceVersion, so changes made before it is open still arrive.
        s.Simulator.Apply(TestObjects.Pod("other", "ignored"));
        s.Simulator.Apply(TestObjects.Pod("shop", "web", phase: "Pending"));
        s.Simulator.Apply(TestObjects.Pod("shop", "web", phase: "Running"));
        Assert.True(s.Simulator.Delete("v1", "Pod", "shop", "web"));
        await watching.WaitAsync(Bound, ct);

        Assert.Equal(
            [(WatchEventType.Added, "web", "Pending"), (WatchEventType.Modified, "web", "Running"), (WatchEventType.Deleted, "web", "Running")],
            events.Select(e => (e.Type, e.Name, e.Phase)));
        var rvs = events.Select(e => long.Parse(e.Rv, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(rvs.Order(), rvs);
        Assert.Equal(rvs.Count, rvs.Distinct().Count());
    }

    [Fact]
    public async Task WatchListNamespacedPod_WithoutResourceVersion_StartsWithSyntheticAddedForCurrentState()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a", labels: TestObjects.Labels(("app", "web"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "b", labels: TestObjects.Labels(("app", "db"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "c", labels: TestObjects.Labels(("app", "web"))));

        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", labelSelector: "app=web", timeoutSeconds: 1, cancellationToken: ct))
        {
            seen.Add((type, pod.Name()));
        }

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Added, "c")], seen);
    }

    [Fact]
    public async Task WatchListNamespacedPod_ObjectLeavesSelector_ArrivesAsDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var rv = s.Simulator.Apply(TestObjects.Pod("shop", "a", labels: TestObjects.Labels(("app", "web"))))["metadata"]!["resourceVersion"]!.GetValue<string>();
        s.Simulator.Apply(TestObjects.Pod("shop", "a", labels: TestObjects.Labels(("app", "db"))));
        s.Simulator.Apply(TestObjects.Pod("shop", "a", labels: TestObjects.Labels(("app", "web"))));

        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", labelSelector: "app=web", resourceVersion: rv, timeoutSeconds: 1, cancellationToken: ct))
        {
            seen.Add((type, pod.Labels()["app"]));
        }

        Assert.Equal([(WatchEventType.Deleted, "db"), (WatchEventType.Added, "web")], seen);
    }

    [Fact]
    public async Task WatchListNamespacedPod_AllowWatchBookmarks_ReceivesBookmarkAtCurrentResourceVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        var rv = s.Simulator.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Bound);

        V1Pod? bookmark = null;
        await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", allowWatchBookmarks: true, resourceVersion: rv, cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Bookmark)
            {
                bookmark = pod;
                break;
            }
        }

        Assert.NotNull(bookmark);
        Assert.Equal(rv, bookmark.ResourceVersion());
        Assert.Equal("Pod", bookmark.Kind);
        Assert.Null(bookmark.Spec);
    }

    [Fact]
    public async Task WatchListNamespacedPod_FromResourceVersion_ReplaysOnlyLaterChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "before"));
        var rv = s.Simulator.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s.Simulator.Apply(TestObjects.Pod("shop", "after-1"));
        s.Simulator.Apply(TestObjects.Pod("shop", "after-2"));
        s.Simulator.Delete("v1", "Pod", "shop", "before");

        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, pod) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: rv, timeoutSeconds: 1, cancellationToken: ct))
        {
            seen.Add((type, pod.Name()));
        }

        Assert.Equal([(WatchEventType.Added, "after-1"), (WatchEventType.Added, "after-2"), (WatchEventType.Deleted, "before")], seen);
    }

    [Fact]
    public async Task Watch_FromResourceVersionBeforeCompact_GetsExpiredErrorEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        var oldRv = s.Simulator.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s.Simulator.Apply(TestObjects.Pod("shop", "b"));
        s.Simulator.Compact();

        var errors = new List<Exception>();
        var seen = 0;
        await foreach (var _ in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: oldRv, timeoutSeconds: 5, onError: errors.Add, cancellationToken: ct))
        {
            seen++;
        }

        using var raw = await s.Http.GetAsync($"api/v1/namespaces/shop/pods?watch=true&resourceVersion={oldRv}", ct);
        var line = JsonNode.Parse((await raw.Content.ReadAsStringAsync(ct)).Trim())!;

        Assert.Equal(0, seen);
        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(410, (int)line["object"]!["code"]!);
    }

    [Fact]
    public async Task ListWithContinue_TokenOlderThanCompaction_Returns410()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            s.Simulator.Apply(TestObjects.Pod("shop", $"p{i}"));
        }

        var first = await s.Client.CoreV1.ListNamespacedPodAsync("shop", limit: 2, cancellationToken: ct);
        s.Simulator.Apply(TestObjects.Pod("shop", "p9"));
        s.Simulator.Compact();

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ListNamespacedPodAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: ct));

        Assert.Equal(HttpStatusCode.Gone, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!;
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.StartsWith("The provided continue parameter is too old", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailNext_429WithRetryAfter_AnswersThenRecovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        s.Simulator.Faults.FailNext(2, 429, TimeSpan.FromSeconds(3), r => r.Verb == SimulatorVerb.List && r.Resource == "pods");

        var unmatched = await s.Client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: ct);
        var viaClient = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: ct));
        using var raw = await s.Http.GetAsync("api/v1/namespaces/shop/pods", ct);
        var body = JsonNode.Parse(await raw.Content.ReadAsStringAsync(ct))!;
        var recovered = await s.Client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: ct);

        Assert.Empty(unmatched.Items);
        Assert.Equal((HttpStatusCode)429, viaClient.Response.StatusCode);
        Assert.Equal((HttpStatusCode)429, raw.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), raw.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", (string?)body["reason"]);
        Assert.Equal(3, (int)body["details"]!["retryAfterSeconds"]!);
        Assert.Single(recovered.Items);
        Assert.Equal(0, s.Simulator.Faults.PendingFailures);
        Assert.Equal(3, s.Simulator.Requests.Count(SimulatorVerb.List, "pods"));
    }

    [Fact]
    public async Task FailNext_500_ReturnsInternalErrorStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Faults.FailNext(1, 500);

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ListNodeAsync(cancellationToken: ct));
        var after = await s.Client.CoreV1.ListNodeAsync(cancellationToken: ct);

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Response.StatusCode);
        var status = JsonNode.Parse(ex.Response.Content)!;
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal(500, (int)status["code"]!);
        Assert.Empty(after.Items);
    }

    [Fact]
    public async Task Latency_Set_DelaysEveryRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await s.Http.GetAsync("healthz", ct);

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {started.Elapsed}");
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task DropWatches_OpenWatch_StreamEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, _) in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", onError: _ => { }, cancellationToken: ct))
            {
                added.TrySetResult();
            }
        }, ct);
        await added.Task.WaitAsync(Bound, ct);

        s.Simulator.Faults.DropWatches();

        var ended = await Task.WhenAny(watching, Task.Delay(Bound, ct));
        Assert.Same(watching, ended);
        await WaitForAsync(() => s.Simulator.Requests.Count(SimulatorVerb.Watch) == 1, ct);
    }

    [Fact]
    public async Task EndWatches_OpenWatch_StreamEndsCleanlyWithoutError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new List<Exception>();
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", onError: errors.Add, cancellationToken: ct))
            {
                added.TrySetResult();
            }
        }, ct);
        await added.Task.WaitAsync(Bound, ct);

        s.Simulator.Faults.EndWatches();

        var ended = await Task.WhenAny(watching, Task.Delay(Bound, ct));
        Assert.Same(watching, ended);
        await watching;
        Assert.Empty(errors);
    }

    [Fact]
    public async Task RestartAsync_OpenWatchAndStore_WatchEndsAndSamePortServesSameObjects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        s.Simulator.Apply(TestObjects.Pod("shop", "a"));
        var before = s.Simulator.BaseAddress;
        var rvBefore = s.Simulator.ResourceVersion;
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in s.Client.CoreV1.WatchListNamespacedPodAsync("shop", onError: _ => { }, cancellationToken: ct))
            {
                added.TrySetResult();
            }
        }, ct);
        await added.Task.WaitAsync(Bound, ct);

        await s.Simulator.RestartAsync(ct);
        var ended = await Task.WhenAny(watching, Task.Delay(Bound, ct));
        var pods = await s.Client.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: ct);
        s.Simulator.Apply(TestObjects.Pod("shop", "b"));

        Assert.Same(watching, ended);
        Assert.Equal(before, s.Simulator.BaseAddress);
        Assert.Equal(["a"], pods.Items.Select(p => p.Name()));
        Assert.Equal(rvBefore.ToString(System.Globalization.CultureInfo.InvariantCulture), pods.Metadata.ResourceVersion);
        Assert.Equal(rvBefore + 1, s.Simulator.ResourceVersion);
    }

    [Fact]
    public async Task ReadNamespacedPodLog_CurrentPreviousAndTail_ServeTheSetLines()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        ShopScenario.Load(s.Simulator, DateTimeOffset.UtcNow);
        s.Simulator.Apply(TestObjects.Pod("shop", "two", "Running", "node-a", null, "app", "sidecar"));
        s.Simulator.Apply(TestObjects.Pod("shop", "fresh"));

        var current = await ReadLogAsync(() => s.Client.CoreV1.ReadNamespacedPodLogAsync(ShopScenario.Pod, ShopScenario.Namespace, cancellationToken: ct), ct);
        var previous = await ReadLogAsync(() => s.Client.CoreV1.ReadNamespacedPodLogAsync(ShopScenario.Pod, ShopScenario.Namespace, container: ShopScenario.Container, previous: true, cancellationToken: ct), ct);
        var tail = await ReadLogAsync(() => s.Client.CoreV1.ReadNamespacedPodLogAsync(ShopScenario.Pod, ShopScenario.Namespace, previous: true, tailLines: 1, cancellationToken: ct), ct);
        var limited = await ReadLogAsync(() => s.Client.CoreV1.ReadNamespacedPodLogAsync(ShopScenario.Pod, ShopScenario.Namespace, previous: true, limitBytes: 10, cancellationToken: ct), ct);
        var ambiguous = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ReadNamespacedPodLogAsync("two", "shop", cancellationToken: ct));
        var unknown = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ReadNamespacedPodLogAsync("two", "shop", container: "nope", cancellationToken: ct));
        var noPrevious = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CoreV1.ReadNamespacedPodLogAsync("fresh", "shop", previous: true, cancellationToken: ct));

        Assert.Equal("2026-11-28T03:12:01Z INFO starting checkout service on :8080\n", current);
        Assert.Equal(string.Join('\n', ShopScenario.PreviousLog) + "\n", previous);
        Assert.Equal(ShopScenario.PreviousLog[^1] + "\n", tail);
        Assert.Equal(ShopScenario.PreviousLog[0][..10], limited);
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.Response.StatusCode);
        Assert.Contains("a container name must be specified for pod two, choose one of: [app sidecar]", ambiguous.Response.Content, StringComparison.Ordinal);
        Assert.Contains("container nope is not valid for pod two", unknown.Response.Content, StringComparison.Ordinal);
        Assert.Contains("previous terminated container \\\"app\\\" in pod \\\"fresh\\\" not found", noPrevious.Response.Content, StringComparison.Ordinal);
        Assert.Equal(7, s.Simulator.Requests.Count(SimulatorVerb.Log, "pods"));
    }

    [Fact]
    public async Task RegisterCustomResource_K8sGptResult_AppearsInDiscoveryAndServes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        var groupsBefore = await s.Client.Apis.GetAPIVersionsAsync(ct);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => s.Client.CustomObjects.ListNamespacedCustomObjectAsync("core.k8sgpt.ai", "v1alpha1", "shop", "results", cancellationToken: ct));

        s.Simulator.Resources.RegisterCustomResource("core.k8sgpt.ai", "v1alpha1", "Result", "results");
        s.Simulator.Apply(JsonNode.Parse("""
            {"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"shopcheckout","namespace":"shop"},
             "spec":{"kind":"Pod","name":"shop/checkout","error":[{"text":"back-off restarting failed container"}]}}
            """)!.AsObject());
        var groupsAfter = await s.Client.Apis.GetAPIVersionsAsync(ct);
        using var resourcesResponse = await s.Http.GetAsync("apis/core.k8sgpt.ai/v1alpha1", ct);
        var resources = JsonNode.Parse(await resourcesResponse.Content.ReadAsStringAsync(ct))!;
        var results = await s.Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElementList>("core.k8sgpt.ai", "v1alpha1", "shop", "results", cancellationToken: ct);

        Assert.DoesNotContain(groupsBefore.Groups, g => g.Name == "core.k8sgpt.ai");
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var group = Assert.Single(groupsAfter.Groups, g => g.Name == "core.k8sgpt.ai");
        Assert.Equal("core.k8sgpt.ai/v1alpha1", group.PreferredVersion.GroupVersion);
        var resource = Assert.Single(resources["resources"]!.AsArray());
        Assert.Equal("results", (string?)resource!["name"]);
        Assert.Equal("Result", (string?)resource["kind"]);
        Assert.True((bool)resource["namespaced"]!);
        Assert.Equal("ResultList", results.Kind);
        Assert.Equal("shopcheckout", Assert.Single(results.Items).GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetWithTableAccept_CrashLoopingPod_ReturnsServerSideTable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        ShopScenario.Load(s.Simulator, DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/shop/pods?limit=500");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await s.Http.SendAsync(request, ct);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var cells = Assert.Single(table["rows"]!.AsArray())!["cells"]!.AsArray();
        Assert.Equal(ShopScenario.Pod, (string?)cells[0]);
        Assert.Equal("0/1", (string?)cells[1]);
        Assert.Equal("CrashLoopBackOff", (string?)cells[2]);
        Assert.StartsWith($"{ShopScenario.Restarts} (2m", (string?)cells[3], StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", (string?)table["rows"]![0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task Get_ProtobufWithJsonFallback_AnswersJsonAndProtobufOnlyIsNotAcceptableAndCollectionPutIsNotAllowed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var s = await SimulatorClient.StartAsync();
        using var fallback = new HttpRequestMessage(HttpMethod.Get, "api/v1/nodes");
        fallback.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.kubernetes.protobuf"));
        fallback.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var protobufOnly = new HttpRequestMessage(HttpMethod.Get, "api/v1/nodes");
        protobufOnly.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.kubernetes.protobuf"));
        using var put = new HttpRequestMessage(HttpMethod.Put, "api/v1/namespaces/shop/pods") { Content = new StringContent("{}") };

        using var json = await s.Http.SendAsync(fallback, ct);
        using var refused = await s.Http.SendAsync(protobufOnly, ct);
        using var write = await s.Http.SendAsync(put, ct);

        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("NodeList", (string?)JsonNode.Parse(await json.Content.ReadAsStringAsync(ct))!["kind"]);
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, write.StatusCode);
    }

    private static async Task<string> ReadLogAsync(Func<Task<Stream>> open, CancellationToken ct)
    {
        await using var stream = await open();
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20, ct);
        }
    }

    private sealed class JsonElementList
    {
        [System.Text.Json.Serialization.JsonPropertyName("kind")]
        public string? Kind { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<System.Text.Json.JsonElement> Items { get; set; } = [];
    }
}
