using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pods whose logs say a certificate has expired (<c>x509: certificate has expired</c> and its variants) within
/// the last <see cref="Window"/>: one <see cref="IncidentCategory.CertificateExpiry"/> finding per workload with the lines.
/// vCluster control planes are left to <see cref="VClusterControlPlaneDetector"/>.</summary>
public sealed class LogCertificateExpiryDetector : IDetector
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    public string Name => "log.certificate-expired";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var lines = LogPatterns.Recent(state, pod.Ref, LogPatterns.CertificateExpired(), Window);
        if (lines.Count == 0)
        {
            return null;
        }

        return new PodProblem(IncidentCategory.CertificateExpiry, Severity.Error, "CertificateExpired",
            $"{lines.Count} log lines report an expired certificate",
            [PodFindings.StatusLine(pod), .. lines.TakeLast(3).Select(l => EvidenceText.Log(l, LogPatterns.CertificateExpired()))]);
    }
}
