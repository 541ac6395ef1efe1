using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Name resolution failing in a pod's logs, and whether the cluster DNS of its own cluster is the cause: not
/// when a running DNS answered NXDOMAIN (the workload asks for a name that does not exist).</summary>
public sealed class LogDnsFailureDetectorTests
{
    private const string A = "team-a";

    private const string Timeout = "2026-03-01T09:59:50Z ERROR payment client: dial tcp: lookup payments.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.42.1.90:41822->10.96.0.10:53: i/o timeout";
    private const string NoSuchHost = "2026-03-01T09:59:50Z level=ERROR msg=\"cannot start\" err=\"dial tcp: lookup redis-master.cache.svc.cluster.local on 10.96.0.10:53: no such host\"";

    [Theory]
    [InlineData(0, Timeout, "Deployment", "coredns")]
    [InlineData(1, Timeout, "Service", "kube-dns")]
    [InlineData(0, NoSuchHost, "Deployment", "coredns")]
    [InlineData(1, NoSuchHost, null, null)]
    public void Detect_LookupsFail_CauseIsCoreDnsWhenDownTheDnsServiceOnTimeoutsNoneOnNxdomain(int coreDnsReady, string line, string? causeKind, string? causeName)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Deployment("coredns", replicas: 1, ready: coreDnsReady, ns: "kube-system"));
        clusters.Add(A, Objects.Service("kube-dns", selector: "{\"app\":\"coredns\"}", ns: "kube-system"));
        clusters.Add(A, Objects.Deployment("orders", replicas: 1, ready: 1));
        clusters.Add(A, Objects.ReplicaSet("orders-7d9c", "orders", replicas: 1));
        clusters.Add(A, Objects.Pod("orders-7d9c-n4k8s", ownerName: "orders-7d9c", labels: "{\"app\":\"orders\"}"));
        clusters.Logs(A, "shop", "orders-7d9c-n4k8s", "app", previous: false, line);

        var finding = Assert.Single(clusters.Detect(new LogDnsFailureDetector(), A, "Pod", "shop", "orders-7d9c-n4k8s"));

        Assert.Equal(("Deployment", "orders"), (finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal((causeKind, causeName), (finding.Cause?.Kind, finding.Cause?.Name));
        Assert.True(finding.Cause is null || (finding.Cause.Cluster, finding.Cause.Namespace) == (A, "kube-system"));
        Assert.Equal(coreDnsReady == 0, finding.Evidence.Any(e => e.Contains("cluster DNS Deployment kube-system/coredns in team-a: 0 of 1 replicas ready", StringComparison.Ordinal)));
    }

    [Fact]
    public void Detect_LongDriverErrorLine_EvidenceKeepsTheLookupAndTheFailure()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(A, Objects.Deployment("orders", replicas: 1, ready: 1));
        clusters.Add(A, Objects.ReplicaSet("orders-7d9c", "orders", replicas: 1));
        clusters.Add(A, Objects.Pod("orders-7d9c-n4k8s", ownerName: "orders-7d9c", labels: "{\"app\":\"orders\"}"));
        var noise = string.Concat(Enumerable.Repeat("pool=primary attempt=31 backoff=60s ", 8));
        clusters.Logs(A, "shop", "orders-7d9c-n4k8s", "app", previous: false,
            $"2026-03-01T09:59:50Z level=ERROR msg=\"session store unavailable\" {noise}err=\"dial tcp: lookup redis-master.cache.svc.cluster.local on 10.96.0.10:53: no such host\"");

        var finding = Assert.Single(clusters.Detect(new LogDnsFailureDetector(), A, "Pod", "shop", "orders-7d9c-n4k8s"));

        var line = Assert.Single(finding.Evidence, e => e.StartsWith("log ", StringComparison.Ordinal));
        Assert.True(line.Length <= EvidenceText.MaxLineLength, line);
        Assert.Contains("redis-master.cache.svc.cluster.local on 10.96.0.10:53: no such host", line, StringComparison.Ordinal);
        Assert.Contains("…", line, StringComparison.Ordinal);
    }
}
