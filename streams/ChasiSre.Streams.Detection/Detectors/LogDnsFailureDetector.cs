using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pods whose logs show name resolution failing within the last <see cref="Window"/> (<c>no such host</c>,
/// <c>server misbehaving</c>, <c>SERVFAIL</c>, i/o timeouts to port 53, "Temporary failure in name resolution"): one
/// <see cref="IncidentCategory.DNS"/> finding per workload with the lines; the cluster DNS Service is named as the likely cause
/// when the state has it.</summary>
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

        var dns = state.Find(pod.Ref.Cluster, "Service", "kube-system", "kube-dns")?.Ref;
        return new PodProblem(IncidentCategory.DNS, Severity.Error, "DnsResolutionFailing",
            $"{lines.Count} log lines show name resolution failing",
            [PodFindings.StatusLine(pod), .. lines.TakeLast(3).Select(EvidenceText.Log)], dns);
    }
}
