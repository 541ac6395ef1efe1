using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Table-driven tests of the pod detectors: each case builds a small state, runs one detector on the pod that
/// changed, and expects a reason and category (or no finding for the benign variant).</summary>
public sealed class PodDetectorTests
{
    private static readonly Dictionary<string, Action<TestClusters>> Cases = new(StringComparer.Ordinal)
    {
        ["crashloop"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s"}}""",
            lastState: $$$"""{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"{{{Objects.Time(-30)}}}"} }""", restarts: 7)),
        ["crashloop-oom"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}""",
            lastState: $$$"""{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"{{{Objects.Time(-30)}}}"} }""", restarts: 4)),
        ["init-crashloop"] = c => WithWorkload(c, With(Objects.Pod("web-7d9f-a", phase: "Pending", ready: false),
            ",\"initContainerStatuses\":[{\"name\":\"migrate\",\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]")),
        ["terminated-nonzero"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Failed", ready: false, containerState: """{"terminated":{"exitCode":2,"reason":"Error"}}""")),
        ["healthy"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a")),
        ["completed-job-pod"] = c => c.Add("team-a", Objects.Pod("batch-x", ownerKind: "Job", ownerName: "batch", phase: "Failed", ready: false, containerState: """{"terminated":{"exitCode":1,"reason":"Error"}}""")),
        ["image-pull"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image"}}""")),
        ["err-image-never-pull"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"ErrImageNeverPull"}}""")),
        ["invalid-image"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"InvalidImageName"}}""")),
        ["image-inspect"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"ImageInspectError"}}""")),
        ["err-image-pull"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"ErrImagePull"}}""")),
        ["config-error"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"CreateContainerConfigError","message":"configmap \"web-config\" not found"}}""")),
        ["create-error"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"CreateContainerError"}}""")),
        ["prestart-hook"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"PreStartHookError"}}""")),
        ["precreate-hook"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"PreCreateHookError"}}""")),
        ["run-container"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false, containerState: """{"waiting":{"reason":"RunContainerError"}}""")),
        ["unschedulable"] = c => WithWorkload(c, With(Objects.Pod("web-7d9f-a", phase: "Pending", ready: false), conditions: "[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are available: 3 Insufficient memory.\"}]")),
        ["scheduling-gated"] = c => WithWorkload(c, With(Objects.Pod("web-7d9f-a", phase: "Pending", ready: false), conditions: "[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"SchedulingGated\"}]")),
        ["pending-scheduled"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false)),
        ["evicted"] = c =>
        {
            c.Add(TestClusters.Host, Objects.Node("worker-1", Objects.HealthyNodeConditions()));
            WithWorkload(c, With(Objects.Pod("web-7d9f-a", phase: "Failed", ready: false, containerState: """{"terminated":{"exitCode":137,"reason":"ContainerStatusUnknown"}}"""),
                ",\"reason\":\"Evicted\",\"message\":\"The node was low on resource: memory.\""));
        },
        ["sandbox-failed"] = c =>
        {
            WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add("team-a", Objects.Event("e1", "Pod", "web-7d9f-a", "FailedCreatePodSandBox", "failed to setup network for sandbox: plugin type=\"calico\" failed"));
        },
        ["mount-failed"] = c =>
        {
            WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add("team-a", Objects.Event("e1", "Pod", "web-7d9f-a", "FailedMount", "MountVolume.SetUp failed for volume \"data\": rpc error: code = Internal"));
        },
        ["mount-configmap"] = c =>
        {
            WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add("team-a", Objects.Event("e1", "Pod", "web-7d9f-a", "FailedMount", "MountVolume.SetUp failed for volume \"cfg\" : configmap \"web-config\" not found"));
        },
        ["creating-no-events"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false)),
        ["probe-failure"] = c =>
        {
            WithWorkload(c, Objects.Pod("web-7d9f-a", ready: false));
            c.Add("team-a", Objects.Event("e1", "Pod", "web-7d9f-a", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 40));
        },
        ["not-ready-no-events"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", ready: false)),
        ["unhealthy-event-other-kind"] = c =>
        {
            WithWorkload(c, Objects.Pod("web-7d9f-a", ready: false));
            c.Add("team-a", Objects.Event("e1", "Deployment", "web-7d9f-a", "Unhealthy", "Readiness probe failed"));
        },
        ["oom-history"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", lastState: $$$"""{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"{{{Objects.Time(-300)}}}"} }""", restarts: 1)),
        ["old-oom"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", lastState: $$$"""{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"{{{Objects.Time(-86400)}}}"} }""", restarts: 1)),
        ["frequent-restarts"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", lastState: $$$"""{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"{{{Objects.Time(-120)}}}"} }""", restarts: 12)),
        ["few-restarts"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", lastState: $$$"""{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"{{{Objects.Time(-120)}}}"} }""", restarts: 2)),
        ["privileged"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", extraSpec: "", serviceAccount: "web") is var pod
            ? Mutate(pod, p => p["spec"]!["containers"]![0]!["securityContext"] = System.Text.Json.Nodes.JsonNode.Parse("{\"privileged\":true}"))
            : pod),
        ["default-service-account"] = c => WithWorkload(c, Objects.Pod("web-7d9f-a", serviceAccount: "default")),
    };

    public static TheoryData<string, string, string?, string?> Table => new()
    {
        { "pod.crashloop", "crashloop", "CrashLoopBackOff", "CrashLoop" },
        { "pod.crashloop", "crashloop-oom", "OOMKilled", "OOMKilled" },
        { "pod.crashloop", "init-crashloop", "CrashLoopBackOff", "CrashLoop" },
        { "pod.crashloop", "terminated-nonzero", "ContainerFailed", "CrashLoop" },
        { "pod.crashloop", "healthy", null, null },
        { "pod.crashloop", "completed-job-pod", null, null },
        { "pod.crashloop", "evicted", null, null },
        { "pod.image-pull", "image-pull", "ImagePull", "ImagePull" },
        { "pod.image-pull", "err-image-pull", "ImagePull", "ImagePull" },
        { "pod.image-pull", "err-image-never-pull", "ImagePull", "ImagePull" },
        { "pod.image-pull", "invalid-image", "ImagePull", "ImagePull" },
        { "pod.image-pull", "image-inspect", "ImagePull", "ImagePull" },
        { "pod.image-pull", "healthy", null, null },
        { "pod.image-pull", "creating-no-events", null, null },
        { "pod.container-config", "config-error", "CreateContainerConfigError", "ConfigError" },
        { "pod.container-config", "create-error", "CreateContainerError", "ConfigError" },
        { "pod.container-config", "prestart-hook", "PreStartHookError", "ConfigError" },
        { "pod.container-config", "precreate-hook", "PreCreateHookError", "ConfigError" },
        { "pod.container-config", "run-container", "RunContainerError", "ConfigError" },
        { "pod.container-config", "healthy", null, null },
        { "pod.unschedulable", "unschedulable", "Unschedulable", "Unschedulable" },
        { "pod.unschedulable", "scheduling-gated", "SchedulingGated", "Unschedulable" },
        { "pod.unschedulable", "pending-scheduled", null, null },
        { "pod.evicted", "evicted", "Evicted", "NodePressure" },
        { "pod.evicted", "healthy", null, null },
        { "pod.container-creating", "sandbox-failed", "FailedCreatePodSandBox", "NetworkService" },
        { "pod.container-creating", "mount-failed", "FailedMount", "Storage" },
        { "pod.container-creating", "mount-configmap", "FailedMountConfig", "ConfigError" },
        { "pod.container-creating", "creating-no-events", null, null },
        { "pod.probe-failure", "probe-failure", "ProbeFailed", "ProbeFailure" },
        { "pod.probe-failure", "not-ready-no-events", null, null },
        { "pod.probe-failure", "unhealthy-event-other-kind", null, null },
        { "pod.probe-failure", "crashloop", null, null },
        { "pod.restart-history", "oom-history", "OOMKilledRecently", "OOMKilled" },
        { "pod.restart-history", "frequent-restarts", "FrequentRestarts", "CrashLoop" },
        { "pod.restart-history", "old-oom", null, null },
        { "pod.restart-history", "few-restarts", null, null },
        { "pod.restart-history", "healthy", null, null },
        { "security.pod", "privileged", "SecurityPosture", "ConfigError" },
        { "security.pod", "default-service-account", "SecurityPosture", "ConfigError" },
        { "security.pod", "healthy", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_PodCase_ExpectedFinding(string detectorName, string caseName, string? reason, string? category)
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        Cases[caseName](clusters);
        var detector = DetectorCatalog.All().Single(d => d.Name == detectorName);
        var pod = clusters.State.List("team-a", "Pod").Single();

        var findings = detector.Detect(pod, clusters.State).ToList();

        if (reason is null)
        {
            Assert.Empty(findings);
            return;
        }

        var finding = Assert.Single(findings);
        Assert.Equal(reason, finding.Reason);
        Assert.Equal(category, finding.Category.ToString());
        Assert.Equal(detectorName, finding.Detector);
        Assert.NotEmpty(finding.Evidence);
        Assert.All(finding.Evidence, e => Assert.True(e.Length <= EvidenceText.MaxLineLength, e));
        if (pod.Ref.Name.StartsWith("web-7d9f", StringComparison.Ordinal))
        {
            Assert.Equal(("Deployment", "web"), (finding.Subject.Kind, finding.Subject.Name));
            Assert.Contains(finding.Related, r => r.Name == pod.Ref.Name);
        }
    }

    [Fact]
    public void Detect_TwoHundredCrashloopingReplicas_OneFindingForTheDeployment()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Deployment("web", replicas: 200, ready: 0));
        clusters.Add("team-a", Objects.ReplicaSet("web-7d9f", "web", replicas: 200));
        for (var i = 0; i < 200; i++)
        {
            clusters.Add("team-a", Objects.Pod($"web-7d9f-{i:D3}", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}""",
                lastState: """{"terminated":{"exitCode":1,"reason":"Error"}}""", restarts: 5));
        }

        var findings = new DetectorRunner(DetectorCatalog.Incidents()).Scan(clusters.State);

        var finding = Assert.Single(findings);
        Assert.Equal(("pod.crashloop", "Deployment", "web"), (finding.Detector, finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal("200", finding.Attributes["podCount"]);
        Assert.Contains("200 of 200 pods", finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.StartsWith("198 more pods with the same problem", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_EachPodOfAWorkload_SameFindingWhicheverPodTriggers()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Deployment("web", replicas: 3, ready: 1));
        clusters.Add("team-a", Objects.ReplicaSet("web-7d9f", "web", replicas: 3));
        clusters.Add("team-a", Objects.Pod("web-7d9f-a", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}"""));
        clusters.Add("team-a", Objects.Pod("web-7d9f-b", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}"""));
        clusters.Add("team-a", Objects.Pod("web-7d9f-c"));
        var detector = new PodCrashLoopDetector();

        var fromA = Assert.Single(clusters.Detect(detector, "team-a", "Pod", "shop", "web-7d9f-a"));
        var fromB = Assert.Single(clusters.Detect(detector, "team-a", "Pod", "shop", "web-7d9f-b"));

        Assert.Empty(clusters.Detect(detector, "team-a", "Pod", "shop", "web-7d9f-c"));
        Assert.Equal(fromA.Key, fromB.Key);
        Assert.Equal(fromA.Evidence, fromB.Evidence);
        Assert.Equal("2", fromA.Attributes["podCount"]);
        Assert.Contains("2 of 3 pods", fromA.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_CrashloopWithPreviousLog_EvidenceHasTheFatalLineOfThePreviousInstance()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        Cases["crashloop"](clusters);
        clusters.Logs("team-a", "shop", "web-7d9f-a", "app", previous: true,
            "2026-03-01T09:59:58Z INFO starting", "2026-03-01T09:59:59Z FATAL cannot connect to postgres:5432: connection refused");
        clusters.Logs("team-a", "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T10:00:00Z INFO starting");

        var finding = Assert.Single(clusters.Detect(new PodCrashLoopDetector(), "team-a", "Pod", "shop", "web-7d9f-a"));

        Assert.Contains(finding.Evidence, e => e.Contains("(previous instance): 2026-03-01T09:59:59Z FATAL cannot connect to postgres", StringComparison.Ordinal) || e.Contains("(previous instance): FATAL cannot connect to postgres", StringComparison.Ordinal));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("INFO starting", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("last terminated Error exit 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_EvictedVirtualPod_CauseIsTheHostNode()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        Cases["evicted"](clusters);

        var finding = Assert.Single(clusters.Detect(new PodEvictionDetector(), "team-a", "Pod", "shop", "web-7d9f-a"));

        Assert.NotNull(finding.Cause);
        Assert.Equal(("host", "Node", "worker-1", Schemas.V1.Layer.Host), (finding.Cause.Cluster, finding.Cause.Kind, finding.Cause.Name, finding.Cause.Layer));
    }

    [Fact]
    public void Detect_HostTwinOfWatchedVirtualPod_NoFindingOnTheHostSide()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        Cases["crashloop"](clusters);
        var twin = Objects.Pod("web-7d9f-a-x-shop-x-team-a", ownerKind: null, ns: "vcluster-team-a", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}""");
        twin["metadata"]!["labels"]!["vcluster.loft.sh/managed-by"] = "team-a";
        twin["metadata"]!["annotations"] = Objects.Parse("""{"vcluster.loft.sh/object-name":"web-7d9f-a","vcluster.loft.sh/object-namespace":"shop","vcluster.loft.sh/object-kind":"/v1, Kind=Pod"}""");
        clusters.Add(TestClusters.Host, twin);

        var hostFindings = clusters.Detect(new PodCrashLoopDetector(), TestClusters.Host, "Pod", "vcluster-team-a", "web-7d9f-a-x-shop-x-team-a");

        Assert.Empty(hostFindings);
        Assert.Single(clusters.Detect(new PodCrashLoopDetector(), "team-a", "Pod", "shop", "web-7d9f-a"));
    }

    private static void WithWorkload(TestClusters clusters, System.Text.Json.Nodes.JsonObject pod)
    {
        clusters.Add("team-a", Objects.Deployment("web", replicas: 1, ready: 0));
        clusters.Add("team-a", Objects.ReplicaSet("web-7d9f", "web", replicas: 1));
        clusters.Add("team-a", pod);
    }

    private static System.Text.Json.Nodes.JsonObject With(System.Text.Json.Nodes.JsonObject pod, string extraStatus = "", string? conditions = null)
    {
        var status = pod["status"]!.AsObject();
        if (extraStatus.Length > 0)
        {
            foreach (var (key, value) in Objects.Parse("{" + extraStatus.TrimStart(',') + "}"))
            {
                status[key] = value?.DeepClone();
            }
        }

        if (conditions is not null)
        {
            status["conditions"] = System.Text.Json.Nodes.JsonNode.Parse(conditions);
            status.Remove("containerStatuses");
        }

        return pod;
    }

    private static System.Text.Json.Nodes.JsonObject Mutate(System.Text.Json.Nodes.JsonObject obj, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        change(obj);
        return obj;
    }
}
