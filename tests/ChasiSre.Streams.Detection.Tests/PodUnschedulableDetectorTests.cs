using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Who decides a pod cannot be scheduled: for a vCluster pod placed by the host scheduler, the host.</summary>
public sealed class PodUnschedulableDetectorTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;
    private const string NodeSelectorMessage = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

    [Fact]
    public void Detect_VClusterPodNoHostNodeMatches_CauseIsItsHostTwin()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        AddHostNodes(clusters);
        clusters.Add(A, Objects.Deployment("coredns", replicas: 1, ready: 0, ns: "kube-system"));
        clusters.Add(A, Objects.ReplicaSet("coredns-6f8b", "coredns", replicas: 1, ns: "kube-system"));
        clusters.Add(A, PendingPod("coredns-6f8b-q7w2e", "coredns-6f8b", "kube-system", NodeSelectorMessage));
        clusters.Add(H, HostTwin("coredns-6f8b-q7w2e", "kube-system", NodeSelectorMessage));

        var finding = Assert.Single(clusters.Detect(new PodUnschedulableDetector(), A, "Pod", "kube-system", "coredns-6f8b-q7w2e"));

        Assert.Equal(("Deployment", "coredns"), (finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal((H, "Pod", Layer.Host), (finding.Cause?.Cluster, finding.Cause?.Kind, finding.Cause?.Layer));
        Assert.Equal("coredns-6f8b-q7w2e-x-kube-system-x-team-a", finding.Cause?.Name);
        Assert.Contains(finding.Evidence, e => e.Contains("nodeSelector node-pool=tenants, which 0 of 2 host nodes match", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(A, "0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")]
    [InlineData(A, "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.")]
    [InlineData(H, NodeSelectorMessage)]
    public void Detect_NotAHostPlacementOfAVClusterPod_NoCause(string cluster, string message)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        AddHostNodes(clusters);
        clusters.Add(cluster, Objects.Deployment("coredns", replicas: 1, ready: 0, ns: "kube-system"));
        clusters.Add(cluster, Objects.ReplicaSet("coredns-6f8b", "coredns", replicas: 1, ns: "kube-system"));
        clusters.Add(cluster, PendingPod("coredns-6f8b-q7w2e", "coredns-6f8b", "kube-system", message));
        if (cluster == A)
        {
            clusters.Add(H, HostTwin("coredns-6f8b-q7w2e", "kube-system", message));
        }

        var finding = Assert.Single(clusters.Detect(new PodUnschedulableDetector(), cluster, "Pod", "kube-system", "coredns-6f8b-q7w2e"));

        Assert.Equal("Unschedulable", finding.Reason);
        Assert.Null(finding.Cause);
    }

    private static void AddHostNodes(TestClusters clusters)
    {
        clusters.Add(H, Objects.Node("worker-1", Objects.HealthyNodeConditions(), labels: "{\"kubernetes.io/hostname\":\"worker-1\"}"));
        clusters.Add(H, Objects.Node("worker-2", Objects.HealthyNodeConditions(), labels: "{\"kubernetes.io/hostname\":\"worker-2\"}"));
    }

    private static JsonObject PendingPod(string name, string replicaSet, string ns, string message)
    {
        var pod = Objects.Pod(name, ownerName: replicaSet, phase: "Pending", ready: false, ns: ns, labels: "{\"app\":\"coredns\"}",
            extraSpec: ",\"nodeSelector\":{\"node-pool\":\"tenants\"}");
        ((JsonObject)pod["spec"]!).Remove("nodeName");
        pod["status"]!["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["reason"] = "Unschedulable",
            ["message"] = message,
            ["lastTransitionTime"] = Objects.Time(-300),
        });
        return pod;
    }

    private static JsonObject HostTwin(string virtualName, string ns, string message)
    {
        var twin = PendingPod($"{virtualName}-x-{ns}-x-team-a", "none", "vcluster-team-a", message);
        ((JsonObject)twin["metadata"]!).Remove("ownerReferences");
        twin["metadata"]!["labels"]!["vcluster.loft.sh/managed-by"] = "team-a";
        twin["metadata"]!["annotations"] = Objects.Parse($$$"""
            {"vcluster.loft.sh/object-name":"{{{virtualName}}}","vcluster.loft.sh/object-namespace":"{{{ns}}}","vcluster.loft.sh/object-uid":"uid-pod-{{{virtualName}}}","vcluster.loft.sh/object-kind":"/v1, Kind=Pod"}
            """);
        return twin;
    }
}
