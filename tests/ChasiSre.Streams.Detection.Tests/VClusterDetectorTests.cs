using System.Text.Json.Nodes;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>vCluster cross-layer detectors (sync errors, twins, control plane) and the log pattern detectors, table-driven.</summary>
public sealed class VClusterDetectorTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;
    private const string HostNs = "vcluster-team-a";

    private static readonly Dictionary<string, DetectorCase> Cases = new(StringComparer.Ordinal)
    {
        ["sync-quota"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add(H, Objects.Parse("""{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"vc-team-a","namespace":"vcluster-team-a"},"status":{"hard":{"pods":"10"},"used":{"pods":"10"}}}"""));
            c.Add(A, Objects.Event("s1", "Pod", "web-7d9f-a", "SyncError", "Error syncing to physical cluster: pods \"web-7d9f-a-x-shop-x-team-a\" is forbidden: exceeded quota: vc-team-a, requested: pods=1, used: pods=10, limited: pods=10", count: 9));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["sync-podsecurity-on-control-plane"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add(H, Objects.Event("s1", "StatefulSet", "team-a", "SyncError", "Error syncing to physical cluster: pods \"web-7d9f-a-x-shop-x-team-a\" is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes", ns: HostNs));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["sync-other-pod-on-control-plane"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add(H, Objects.Event("s1", "StatefulSet", "team-a", "SyncError", "Error syncing to physical cluster: pods \"api-1-x-shop-x-team-a\" is forbidden: exceeded quota: vc-team-a", ns: HostNs));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["sync-generic"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add(A, Objects.Event("s1", "Pod", "web-7d9f-a", "SyncError", "Error syncing to physical cluster: Internal error occurred: etcdserver: request timed out"));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["sync-healthy"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Add(H, Twin("web-7d9f-a", "Running", ready: true));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["twin-missing"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["twin-missing-fresh-pod"] = new(c =>
        {
            ControlPlane(c);
            var pod = Objects.Pod("web-7d9f-a", phase: "Pending", ready: false);
            pod["metadata"]!["creationTimestamp"] = Objects.Time(-30);
            Workload(c, pod);
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["twin-desync"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false));
            c.Add(H, Twin("web-7d9f-a", "Running", ready: true));
        }, H, "Pod", HostNs, "web-7d9f-a-x-shop-x-team-a"),
        ["twin-in-sync"] = new(c =>
        {
            ControlPlane(c);
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Add(H, Twin("web-7d9f-a", "Running", ready: true));
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["twin-no-host-view"] = new(c => Workload(c, Objects.Pod("web-7d9f-a", phase: "Pending", ready: false)), A, "Pod", "shop", "web-7d9f-a"),
        ["cp-oom"] = new(c => ControlPlane(c, lastState: $$$"""{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"{{{Objects.Time(-120)}}}"} }""", restarts: 1), H, "Pod", HostNs, "team-a-0"),
        ["cp-not-ready"] = new(c => ControlPlane(c, ready: 0, podReady: false), H, "StatefulSet", HostNs, "team-a"),
        ["cp-crashloop"] = new(c => ControlPlane(c, ready: 0, podReady: false, state: """{"waiting":{"reason":"CrashLoopBackOff"}}""", restarts: 9), H, "StatefulSet", HostNs, "team-a"),
        ["cp-cert-expired"] = new(c =>
        {
            ControlPlane(c);
            c.Logs(H, HostNs, "team-a-0", "syncer", previous: false, "2026-03-01T09:59:50Z E0301 09:59:50 syncer: Get \"https://127.0.0.1:6443/api\": x509: certificate has expired or is not yet valid");
        }, H, "Pod", HostNs, "team-a-0"),
        ["cp-api-unreachable"] = new(c =>
        {
            ControlPlane(c);
            c.Logs(H, HostNs, "team-a-0", "syncer", previous: false, "2026-03-01T09:59:50Z fatal: couldn't retrieve virtual cluster version: context deadline exceeded");
        }, H, "Pod", HostNs, "team-a-0"),
        ["cp-healthy"] = new(c => ControlPlane(c), H, "StatefulSet", HostNs, "team-a"),
        ["cp-paused"] = new(c => ControlPlane(c, ready: 0, podReady: false, paused: true), H, "StatefulSet", HostNs, "team-a"),
        ["log-dns-timeout"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T09:59:50Z ERROR dial tcp: lookup payments.internal on 10.96.0.10:53: read udp 10.42.0.5:41234->10.96.0.10:53: i/o timeout");
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-dns-no-such-host"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T09:59:50Z WARN dial tcp: lookup db.shop.svc.cluster.local: no such host");
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-dns-stale"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T08:00:00Z WARN dial tcp: lookup db: no such host");
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-other-timeout"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T09:59:50Z ERROR dial tcp 10.0.0.9:5432: i/o timeout");
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-cert-expired"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T09:59:50Z ERROR Post \"https://payments.example/charge\": x509: certificate has expired or is not yet valid: current time 2026-03-01T09:59:50Z is after 2026-02-28T00:00:00Z");
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-errors-while-ready"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, [.. Enumerable.Range(0, 6).Select(i => $"2026-03-01T09:59:{i:D2}Z ERROR upstream returned 502 for order {i}")]);
        }, A, "Pod", "shop", "web-7d9f-a"),
        ["log-few-errors"] = new(c =>
        {
            Workload(c, Objects.Pod("web-7d9f-a"));
            c.Logs(A, "shop", "web-7d9f-a", "app", previous: false, "2026-03-01T09:59:00Z ERROR one", "2026-03-01T09:59:01Z INFO fine", "2026-03-01T09:59:02Z ERROR two");
        }, A, "Pod", "shop", "web-7d9f-a"),
    };

    public static TheoryData<string, string, string?, string?> Table => new()
    {
        { "vcluster.sync-error", "sync-quota", "ExceededQuota", "QuotaExceeded" },
        { "vcluster.sync-error", "sync-podsecurity-on-control-plane", "PodSecurity", "AdmissionRejected" },
        { "vcluster.sync-error", "sync-other-pod-on-control-plane", null, null },
        { "vcluster.sync-error", "sync-generic", "SyncError", "VClusterSync" },
        { "vcluster.sync-error", "sync-healthy", null, null },
        { "vcluster.twin", "twin-missing", "TwinMissing", "VClusterSync" },
        { "vcluster.twin", "twin-missing-fresh-pod", null, null },
        { "vcluster.twin", "sync-quota", null, null },
        { "vcluster.twin", "twin-desync", "StatusDesync", "VClusterSync" },
        { "vcluster.twin", "twin-in-sync", null, null },
        { "vcluster.twin", "twin-no-host-view", null, null },
        { "vcluster.control-plane", "cp-oom", "OOMKilled", "VClusterControlPlane" },
        { "vcluster.control-plane", "cp-not-ready", "NotReady", "VClusterControlPlane" },
        { "vcluster.control-plane", "cp-crashloop", "CrashLoopBackOff", "VClusterControlPlane" },
        { "vcluster.control-plane", "cp-cert-expired", "CertificateExpired", "CertificateExpiry" },
        { "vcluster.control-plane", "cp-api-unreachable", "VirtualApiUnreachable", "VClusterControlPlane" },
        { "vcluster.control-plane", "cp-healthy", null, null },
        { "vcluster.control-plane", "cp-paused", null, null },
        { "log.dns-failure", "log-dns-timeout", "DnsResolutionFailing", "DNS" },
        { "log.dns-failure", "log-dns-no-such-host", "DnsResolutionFailing", "DNS" },
        { "log.dns-failure", "log-dns-stale", null, null },
        { "log.dns-failure", "log-other-timeout", null, null },
        { "log.certificate-expired", "log-cert-expired", "CertificateExpired", "CertificateExpiry" },
        { "log.certificate-expired", "log-dns-timeout", null, null },
        { "log.errors", "log-errors-while-ready", "ErrorLogs", "MetricAnomaly" },
        { "log.errors", "log-few-errors", null, null },
        { "log.errors", "log-dns-stale", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_VClusterOrLogCase_ExpectedFinding(string detector, string caseName, string? reason, string? category) =>
        Cases[caseName].Expect(detector, reason, category);

    [Fact]
    public void Detect_SyncErrorNamingHostQuota_SubjectIsVirtualDeploymentCauseIsHostQuota()
    {
        var finding = Cases["sync-quota"].Expect("vcluster.sync-error", "ExceededQuota", "QuotaExceeded")!;

        Assert.Equal((A, "Deployment", "web", Schemas.V1.Layer.Virtual), (finding.Subject.Cluster, finding.Subject.Kind, finding.Subject.Name, finding.Subject.Layer));
        Assert.Equal((H, "ResourceQuota", HostNs, "vc-team-a", Schemas.V1.Layer.Host), (finding.Cause?.Cluster, finding.Cause?.Kind, finding.Cause?.Namespace, finding.Cause?.Name, finding.Cause?.Layer));
        Assert.Contains(finding.Evidence, e => e.Contains("SyncError x9", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("pods used 10 of 10 (nearly full)", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_ControlPlanePodOrStatefulSet_SameFindingAboutTheStatefulSet()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        Cases["cp-oom"].Setup(clusters);
        var detector = new Detectors.VClusterControlPlaneDetector();

        var fromPod = Assert.Single(clusters.Detect(detector, H, "Pod", HostNs, "team-a-0"));
        var fromStatefulSet = Assert.Single(clusters.Detect(detector, H, "StatefulSet", HostNs, "team-a"));

        Assert.Equal(fromPod.Key, fromStatefulSet.Key);
        Assert.Equal(("StatefulSet", "team-a"), (fromPod.Subject.Kind, fromPod.Subject.Name));
        Assert.Equal("team-a", fromPod.Attributes["vcluster"]);
    }

    private static void ControlPlane(TestClusters c, int ready = 1, bool podReady = true, string? state = null, string? lastState = null, int restarts = 0, bool paused = false)
    {
        c.Add(H, Objects.Parse($$$"""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"team-a","namespace":"vcluster-team-a","uid":"uid-sts-team-a","labels":{"app":"vcluster","release":"team-a"},
              "annotations":{"loft.sh/paused":"{{{(paused ? "true" : "false")}}}"} },
             "spec":{"replicas":1,"serviceName":"team-a-headless"},"status":{"replicas":1,"readyReplicas":{{{ready}}}}}
            """));
        var pod = Objects.Pod("team-a-0", ownerKind: "StatefulSet", ownerName: "team-a", ns: HostNs, ready: podReady, containerState: state, lastState: lastState, restarts: restarts,
            labels: "{\"app\":\"vcluster\",\"release\":\"team-a\"}", serviceAccount: "vc-team-a");
        pod["spec"]!["containers"]![0]!["name"] = "syncer";
        pod["status"]!["containerStatuses"]![0]!["name"] = "syncer";
        c.Add(H, pod);
    }

    private static void Workload(TestClusters c, JsonObject pod)
    {
        c.Add(A, Objects.Deployment("web", replicas: 1, ready: 0));
        c.Add(A, Objects.ReplicaSet("web-7d9f", "web", replicas: 1));
        c.Add(A, pod);
    }

    private static JsonObject Twin(string virtualName, string phase, bool ready)
    {
        var twin = Objects.Pod($"{virtualName}-x-shop-x-team-a", ownerKind: null, ns: HostNs, phase: phase, ready: ready, serviceAccount: "vc-workload-team-a");
        twin["metadata"]!["labels"]!["vcluster.loft.sh/managed-by"] = "team-a";
        twin["metadata"]!["annotations"] = Objects.Parse($$$"""
            {"vcluster.loft.sh/object-name":"{{{virtualName}}}","vcluster.loft.sh/object-namespace":"shop","vcluster.loft.sh/object-uid":"uid-pod-{{{virtualName}}}","vcluster.loft.sh/object-kind":"/v1, Kind=Pod"}
            """);
        return twin;
    }
}
