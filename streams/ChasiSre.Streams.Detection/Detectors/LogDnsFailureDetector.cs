using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pods whose logs show name resolution failing within the last <see cref="Window"/> (<c>no such host</c>,
/// <c>server misbehaving</c>, <c>SERVFAIL</c>, i/o timeouts to port 53, "Temporary failure in name resolution"): one
/// <see cref="IncidentCategory.DNS"/> finding per workload with the lines. The cause is the cluster DNS Deployment of the
/// pod's own cluster (CoreDNS in kube-system; a vCluster runs its own) when none of its replicas is ready, else the cluster
/// DNS Service when the lookups got no answer (timeouts, SERVFAIL) and the state has it; lookups answered NXDOMAIN by a
/// running DNS have no cause elsewhere (the workload asks for a name that does not exist).</summary>
public sealed class LogDnsFailureDetector : IDetector
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public string Name => "log.dns-failure";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var lines = LogPatterns.Recent(state, pod.Ref, LogPatterns.DnsFailure(), Window);
        if (lines.Count == 0)
        {
            return null;
        }

        // Timeouts and SERVFAIL point at the cluster DNS; NXDOMAIN answers (no such host) from a running DNS say the name
        // the workload asks for does not exist: its own configuration, no cause elsewhere.
        var down = ClusterDnsDown(pod.Ref.Cluster, state);
        var serverSide = lines.Any(l => LogPatterns.DnsServerFailure().IsMatch(l.Message));
        var dns = down?.Workload.Ref ?? (serverSide ? state.Find(pod.Ref.Cluster, "Service", "kube-system", "kube-dns")?.Ref : null);
        return new PodProblem(IncidentCategory.DNS, Severity.Error, "DnsResolutionFailing",
            down is null ? $"{lines.Count} log lines show name resolution failing" : $"{lines.Count} log lines show name resolution failing; the cluster DNS is not running",
            [PodFindings.StatusLine(pod), .. lines.TakeLast(3).Select(l => EvidenceText.Log(l, LogPatterns.DnsFailure())), .. down is null ? [] : new[] { down.Line }], dns);
    }

    // The cluster DNS Deployment of the pod's own cluster (a vCluster runs its own CoreDNS) when it has no ready replica
    // although it wants some: lookups time out because nothing answers, and that workload is the cause.
    private static DnsOutage? ClusterDnsDown(string cluster, IClusterState state)
    {
        var workload = state.List(cluster, "Deployment", "kube-system")
            .Where(d => d.Ref.Name is "coredns" or "kube-dns" || KubeJson.Label(d, "k8s-app") == "kube-dns")
            .OrderBy(d => d.Ref.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        long? desired = workload is null ? null : KubeJson.Long(workload.Json, "spec", "replicas") ?? 1;
        var ready = workload is null ? 0 : KubeJson.Long(workload.Json, "status", "readyReplicas") ?? 0;
        return workload is null || desired is not > 0 || ready > 0
            ? null
            : new DnsOutage(workload, $"cluster DNS {Refs.Describe(workload.Ref)} in {workload.Ref.Cluster}: 0 of {desired} replicas ready");
    }

    private sealed record DnsOutage(KubeObject Workload, string Line);
}
