using System.Text.Json.Nodes;
using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Service endpoints that are empty or not ready on purpose or for a moment: scaled to zero, pods starting or
/// stopping during a rollout.</summary>
public sealed class ServiceEndpointsDetectorTests
{
    private const string A = "team-a";

    [Theory]
    [InlineData(0, null)]
    [InlineData(2, "NoPodsMatchSelector")]
    public void Detect_ServiceWhoseDeploymentHasNoPods_FindingOnlyUnlessScaledToZero(int replicas, string? reason)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Deployment("web", replicas: replicas, ready: 0));
        clusters.Add(A, Objects.Service("web"));
        clusters.Add(A, Objects.Endpoints("web"));

        var findings = clusters.Detect(new ServiceEndpointsDetector(), A, "Service", "shop", "web");

        Assert.Equal(reason, Assert.Single(findings.Select(f => f.Reason).DefaultIfEmpty()));
    }

    [Fact]
    public void Detect_OneOfTwoBackingWorkloadsScaledToZero_SelectsNoPods()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Deployment("web", replicas: 0, ready: 0));
        var canary = Objects.Deployment("web-canary", replicas: 1, ready: 0);
        canary["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = "web", ["track"] = "canary" };
        clusters.Add(A, canary);
        clusters.Add(A, Objects.Service("web"));
        clusters.Add(A, Objects.Endpoints("web"));

        var finding = Assert.Single(clusters.Detect(new ServiceEndpointsDetector(), A, "Service", "shop", "web"));

        Assert.Equal("NoPodsMatchSelector", finding.Reason);
    }

    [Fact]
    public void Detect_NewPodStartingDuringRollout_FindingOnlyOnceNotReadyOutlastsTheGrace()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Pod("web-7d9f-a"));
        clusters.Add(A, StartingPod("web-8c4e-b", notReadySince: -20));
        clusters.Add(A, Objects.Service("web"));
        clusters.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]", notReady: "[" + Objects.Address("web-8c4e-b") + "]"));
        var detector = new ServiceEndpointsDetector(TimeSpan.FromMinutes(2));

        var starting = clusters.Detect(detector, A, "Service", "shop", "web");
        clusters.State.SetNow(TestClusters.T0.AddMinutes(2));
        var stuck = clusters.Detect(detector, A, "Service", "shop", "web");

        Assert.Empty(starting);
        var finding = Assert.Single(stuck);
        Assert.Equal("NotReadyEndpoints", finding.Reason);
        Assert.Contains(finding.Evidence, e => e.Contains("not ready 1: web-8c4e-b", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_YoungPodAlreadyCrashing_FindingWithinTheGrace()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Pod("web-7d9f-a"));
        var crashing = StartingPod("web-8c4e-b", notReadySince: -20);
        crashing["status"]!["containerStatuses"]![0]!["restartCount"] = 2;
        crashing["status"]!["containerStatuses"]![0]!["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff" } };
        clusters.Add(A, crashing);
        clusters.Add(A, Objects.Service("web"));
        clusters.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]", notReady: "[" + Objects.Address("web-8c4e-b") + "]"));

        var finding = Assert.Single(clusters.Detect(new ServiceEndpointsDetector(), A, "Service", "shop", "web"));

        Assert.Equal("NotReadyEndpoints", finding.Reason);
    }

    [Fact]
    public void Detect_OldPodTerminating_NoFinding()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Pod("web-7d9f-a"));
        var stopping = Objects.Pod("web-7d9f-b", ready: false);
        stopping["metadata"]!["deletionTimestamp"] = Objects.Time(-5);
        clusters.Add(A, stopping);
        clusters.Add(A, Objects.Service("web"));
        clusters.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]", notReady: "[" + Objects.Address("web-7d9f-b") + "]"));

        Assert.Empty(clusters.Detect(new ServiceEndpointsDetector(), A, "Service", "shop", "web"));
    }

    [Fact]
    public void Constructor_NegativeGrace_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceEndpointsDetector(TimeSpan.FromSeconds(-1)));

    // A pod of the new ReplicaSet, created and not ready since notReadySince seconds, its container still being created.
    private static JsonObject StartingPod(string name, int notReadySince)
    {
        var pod = Objects.Pod(name, ownerName: "web-8c4e", phase: "Pending", ready: false);
        pod["metadata"]!["creationTimestamp"] = Objects.Time(notReadySince);
        pod["status"]!["conditions"]![1]!["lastTransitionTime"] = Objects.Time(notReadySince);
        return pod;
    }
}
