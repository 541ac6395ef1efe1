using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>Log line patterns the log detectors look for.</summary>
internal static partial class LogPatterns
{
    [GeneratedRegex(@"x509: certificate has expired|certificate has expired|certificate is expired|tls: expired certificate|SSL certificate expired|certificate expired on", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex CertificateExpired();

    [GeneratedRegex(@"no such host|server misbehaving|SERVFAIL|Temporary failure in name resolution|could not resolve host|Name or service not known|NameResolutionError|Failed to resolve '|getaddrinfo (ENOTFOUND|EAI_AGAIN)|(dial udp|dial tcp|read udp|lookup) [^ ]*:53\b.*i/o timeout|:53: i/o timeout|i/o timeout.*:53\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex DnsFailure();

    /// <summary>The part of a DNS failure that says the resolver got no answer (timeout, SERVFAIL, refused): the DNS server
    /// is the suspect. An NXDOMAIN (<c>no such host</c>) is an answer: the name does not exist.</summary>
    [GeneratedRegex(@"server misbehaving|SERVFAIL|i/o timeout|Temporary failure in name resolution|no servers could be reached|:53: connect: connection refused", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex DnsServerFailure();

    [GeneratedRegex(@"\b(error|exception|fatal|panic|traceback)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex Error();

    [GeneratedRegex(@"couldn't retrieve virtual cluster version|error retrieving virtual cluster version", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex VirtualApiUnreachable();

    /// <summary>Log lines of <paramref name="pod"/> written within <paramref name="window"/> of now (lines without a time count) that match.</summary>
    public static List<LogRecord> Recent(IClusterState state, ObjectRef pod, Regex pattern, TimeSpan window) =>
        [.. state.Logs(pod).Where(l => (l.At is null || state.Now - l.At.ToDateTimeOffset() <= window) && pattern.IsMatch(l.Message))];
}
