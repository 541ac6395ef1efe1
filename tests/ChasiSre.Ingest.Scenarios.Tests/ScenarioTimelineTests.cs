namespace ChasiSre.Ingest.Scenarios.Tests;

public sealed class ScenarioTimelineTests
{
    private const string Header = """
        apiVersion: chasi.io/scenario/v1
        name: timeline
        startTime: "2026-03-01T10:00:00Z"
        clusters:
          - name: team-a
            vcluster: {hostNamespace: vcluster-team-a}

        """;

    private const string WebPod = """
              - apiVersion: v1
                kind: Pod
                metadata:
                  name: web-1
                  namespace: shop
                  uid: 11111111-2222-3333-4444-555555555555
                  labels: {app: web}
                spec:
                  nodeName: worker-9
                  containers:
                    - name: app
                      image: web:1
                      env:
                        - name: MODE
                          valueFrom: {configMapKeyRef: {name: web-config, key: mode}}
                status: {phase: Running}

        """;

    private static IReadOnlyList<ClusterOperation> Build(string yaml, params (string Path, string Content)[] files)
    {
        using var dir = new TempDirectory();
        dir.Write("scenario.yaml", yaml);
        foreach (var (path, content) in files)
        {
            dir.Write(path, content);
        }

        return ScenarioTimeline.Build(ScenarioLoader.Load(dir.Path));
    }

    [Fact]
    public void Load_NoHostDeclared_HostIsImplicitAndSyncDefaultsToTrue()
    {
        using var dir = new TempDirectory();
        dir.Write("scenario.yaml", Header + "steps: []\n");

        var scenario = ScenarioLoader.Load(dir.Path);

        Assert.Equal(["host", "team-a"], scenario.Clusters.Select(c => c.Name));
        Assert.True(scenario.Clusters[1].VCluster!.SyncToHost);
        Assert.Empty(scenario.Steps);
        Assert.Null(scenario.Expect);
    }

    [Fact]
    public void Build_VirtualPod_TwinReferencesTranslatedConfigMapAndFakeNodeIsMinimal()
    {
        var ops = Build(Header + "steps:\n  - at: 3\n    cluster: team-a\n    apply:\n" + WebPod);

        var twin = ops.Single("host", "Pod", "vcluster-team-a", "web-1-x-shop-x-team-a");
        Assert.Equal(TimeSpan.FromSeconds(3), twin.At);
        Assert.Equal("web-config-x-shop-x-team-a", twin.Object.At("spec", "containers", 0, "env", 0, "valueFrom", "configMapKeyRef", "name"));
        var node = ops.Single("team-a", "Node", null, "worker-9");
        Assert.True(node.Generated);
        Assert.Equal("true", node.Label(VClusterNaming.FakeNodeLabel));
        Assert.Equal("True", node.Object.At("status", "conditions", 0, "status"));
    }

    [Fact]
    public void Build_ExplicitHostObjectAtSameTime_GeneratedTwinIsDropped()
    {
        var ops = Build(Header + $$$"""
            steps:
              - at: 0
                cluster: team-a
                apply:
            {{{WebPod}}}  - at: 0
                cluster: host
                apply:
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: web-1-x-shop-x-team-a, namespace: vcluster-team-a}
                    status: {phase: Pending}
                  - apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: team-a, namespace: vcluster-team-a, labels: {app: vcluster, release: team-a}}
                    status: {readyReplicas: 0}

            """);

        var twin = ops.Single("host", "Pod", "vcluster-team-a", "web-1-x-shop-x-team-a");
        Assert.False(twin.Generated);
        Assert.Equal("Pending", twin.Object.At("status", "phase"));
        var statefulSet = ops.Single("host", "StatefulSet", "vcluster-team-a", "team-a");
        Assert.False(statefulSet.Generated);
    }

    [Fact]
    public void Build_ExplicitHostObjectLater_ReplacesGeneratedTwinAndIsNeverOverwritten()
    {
        var ops = Build(Header + $$$"""
            steps:
              - at: 0
                cluster: team-a
                apply:
            {{{WebPod}}}  - at: 20
                cluster: host
                apply:
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: web-1-x-shop-x-team-a, namespace: vcluster-team-a}
                    status: {phase: Failed}
              - at: 30
                cluster: team-a
                apply:
            {{{WebPod}}}  - at: 40
                cluster: team-a
                delete:
                  - {apiVersion: v1, kind: Pod, namespace: shop, name: web-1}

            """);

        var hostPod = ops.OfType<ApplyObject>().Where(a => a.Cluster == "host" && a.Name == "web-1-x-shop-x-team-a").ToList();
        Assert.Equal([(TimeSpan.Zero, true), (TimeSpan.FromSeconds(20), false)], hostPod.Select(a => (a.At, a.Generated)));
        Assert.DoesNotContain(ops.OfType<DeleteObject>(), d => d.Cluster == "host");
        Assert.Single(ops.OfType<DeleteObject>(), d => d.Cluster == "team-a" && d.Name == "web-1");
    }

    [Fact]
    public void Build_DeleteVirtualObjects_DeletesTheirTwins()
    {
        var ops = Build(Header + $$$"""
            steps:
              - at: 0
                cluster: team-a
                apply:
            {{{WebPod}}}      - apiVersion: v1
                    kind: Service
                    metadata: {name: web, namespace: shop}
                    spec: {selector: {app: web}, ports: [{port: 80}]}
                  - apiVersion: v1
                    kind: Endpoints
                    metadata: {name: web, namespace: shop}
                    subsets:
                      - addresses: [{ip: 10.0.0.1, targetRef: {kind: Pod, namespace: shop, name: web-1, uid: 11111111-2222-3333-4444-555555555555}}]
              - at: 12
                cluster: team-a
                delete:
                  - {apiVersion: v1, kind: Pod, namespace: shop, name: web-1}
                  - {apiVersion: v1, kind: Service, namespace: shop, name: web}

            """);

        var service = ops.Single("host", "Service", "vcluster-team-a", "web-x-shop-x-team-a");
        Assert.Equal("web", service.Object.At("spec", "selector", "app"));
        Assert.Equal("shop", service.Object.At("spec", "selector", VClusterNaming.NamespaceLabel));
        var endpoints = ops.Single("host", "Endpoints", "vcluster-team-a", "web-x-shop-x-team-a");
        var twinPod = ops.Single("host", "Pod", "vcluster-team-a", "web-1-x-shop-x-team-a");
        Assert.Equal("web-1-x-shop-x-team-a", endpoints.Object.At("subsets", 0, "addresses", 0, "targetRef", "name"));
        Assert.Equal(twinPod.Object.At("metadata", "uid"), endpoints.Object.At("subsets", 0, "addresses", 0, "targetRef", "uid"));

        var hostDeletes = ops.OfType<DeleteObject>().Where(d => d.Cluster == "host").ToList();
        Assert.Equal(
            [("Pod", "web-1-x-shop-x-team-a"), ("Service", "web-x-shop-x-team-a")],
            hostDeletes.Select(d => (d.Kind, d.Name)));
        Assert.All(hostDeletes, d => Assert.Equal(("v1", "vcluster-team-a", TimeSpan.FromSeconds(12), true), (d.ApiVersion, d.Namespace, d.At, d.Generated)));
    }

    [Fact]
    public void Build_HostEventAboutTwin_CopiedIntoVClusterWithVirtualInvolvedObject()
    {
        var ops = Build(Header + $$$"""
            steps:
              - at: 0
                cluster: team-a
                apply:
            {{{WebPod}}}  - at: 7
                cluster: host
                apply:
                  - apiVersion: v1
                    kind: Event
                    metadata: {name: web-1-x-shop-x-team-a.17f0a1, namespace: vcluster-team-a}
                    involvedObject: {apiVersion: v1, kind: Pod, namespace: vcluster-team-a, name: web-1-x-shop-x-team-a, uid: host-uid}
                    reason: FailedMount
                    type: Warning
                    message: MountVolume.SetUp failed
                  - apiVersion: v1
                    kind: Event
                    metadata: {name: other.1, namespace: vcluster-team-a}
                    involvedObject: {kind: Pod, namespace: vcluster-team-a, name: not-a-twin}
                    reason: Pulled

            """);

        var copied = ops.Single("team-a", "Event", "shop", "web-1.17f0a1");
        Assert.True(copied.Generated);
        Assert.Equal(TimeSpan.FromSeconds(7), copied.At);
        Assert.Equal(
            ("Pod", "shop", "web-1", "11111111-2222-3333-4444-555555555555"),
            (copied.Object.At("involvedObject", "kind"), copied.Object.At("involvedObject", "namespace"), copied.Object.At("involvedObject", "name"), copied.Object.At("involvedObject", "uid")));
        Assert.Equal("FailedMount", copied.Object.At("reason"));
        Assert.Single(ops.Applies("team-a", "Event"));
    }

    [Fact]
    public void Build_SyncToHostFalse_GeneratesNothingOnHost()
    {
        var ops = Build(Header.Replace("{hostNamespace: vcluster-team-a}", "{hostNamespace: vcluster-team-a, syncToHost: false}", StringComparison.Ordinal)
            + "steps:\n  - at: 0\n    cluster: team-a\n    apply:\n" + WebPod + "    logs:\n      - {pod: shop/web-1, container: app, lines: [hello]}\n");

        Assert.DoesNotContain(ops, o => o.Cluster == "host");
        Assert.Single(ops.OfType<SetPodLogs>());
    }

    [Fact]
    public void Build_IncludesMetricsAndBusiness_MergedInTimeOrderWithAbsoluteTimestamps()
    {
        var ops = Build(
            Header + """
                include: [parts/late.yaml]
                steps:
                  - at: 40
                    metrics:
                      - cluster: host
                        name: container_memory_working_set_bytes
                        labels: {namespace: vcluster-team-a, pod: web-1-x-shop-x-team-a}
                        samples: [[0, 1.2e8], [-60, 1.0e8], [30, 5.1e8]]
                  - at: 10
                    business:
                      - adapter: orders
                        tenant: team-a
                        status: {healthy: false, summary: payment gateway timeouts, metrics: {orders_per_min: 3}}
                        events: [{type: Error, reason: PaymentTimeout, message: gateway p99 > 5s, at: 8}]
                        logs: [{level: Error, message: POST /pay timeout}]

                """,
            ("parts/late.yaml", "- at: 10\n  cluster: team-a\n  delete:\n    - {apiVersion: v1, kind: ConfigMap, namespace: shop, name: gone}\n"));

        Assert.Equal([typeof(PublishBusiness), typeof(DeleteObject), typeof(PublishMetrics)], ops.Where(o => o.At > TimeSpan.Zero).Select(o => o.GetType()));
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var metrics = Assert.Single(ops.OfType<PublishMetrics>());
        Assert.Equal(
            [new MetricPoint(start, 1.2e8), new MetricPoint(start.AddSeconds(-60), 1.0e8), new MetricPoint(start.AddSeconds(30), 5.1e8)],
            metrics.Samples);
        Assert.Equal("web-1-x-shop-x-team-a", metrics.Labels["pod"]);
        var business = Assert.Single(ops.OfType<PublishBusiness>());
        Assert.Equal(("team-a", "orders", false, 3.0), (business.Cluster, business.Adapter, business.Status!.Healthy, business.Status.Metrics["orders_per_min"]));
        Assert.Equal(start.AddSeconds(8), Assert.Single(business.Events).Timestamp);
        Assert.Equal(start.AddSeconds(10), Assert.Single(business.Logs).Timestamp);
    }
}
