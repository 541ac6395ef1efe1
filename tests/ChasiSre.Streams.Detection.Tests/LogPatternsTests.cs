namespace ChasiSre.Streams.Detection.Tests;

public sealed class LogPatternsTests
{
    [Theory]
    [InlineData("x509: certificate has expired or is not yet valid: current time 2026-03-01T10:00:00Z is after 2026-02-28T23:59:59Z")]
    [InlineData("ERROR Certificate has expired. Cannot start the service.")]
    [InlineData("ssl.SSLError: SSL certificate expired")]
    [InlineData("Certificate expired on 2024-08-03 12:00:00")]
    [InlineData("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)")]
    public void CertificateExpired_ExpiryMessages_Match(string line) => Assert.Matches(LogPatterns.CertificateExpired(), line);

    [Theory]
    [InlineData("certificate will expire in 30 days, renewing")]
    [InlineData("loaded certificate for api.example.com (expires 2027-01-01)")]
    public void CertificateExpired_RenewalsAndNotices_DoNotMatch(string line) => Assert.DoesNotMatch(LogPatterns.CertificateExpired(), line);

    [Theory]
    [InlineData("dial tcp: lookup redis-master.cache.svc.cluster.local: no such host")]
    [InlineData("socket.gaierror: [Errno -2] Name or service not known")]
    [InlineData("urllib3.exceptions.NameResolutionError: <urllib3.connection.HTTPConnection object at 0x7f>: Failed to resolve 'nginx-service' ([Errno -3] Temporary failure in name resolution)")]
    [InlineData("Error: getaddrinfo ENOTFOUND payments.internal")]
    [InlineData("Error: getaddrinfo EAI_AGAIN payments.internal")]
    public void DnsFailure_ResolverErrors_Match(string line) => Assert.Matches(LogPatterns.DnsFailure(), line);

    [Theory]
    [InlineData("resolved payments.internal to 10.0.3.7 in 2ms")]
    [InlineData("Failed to connect to 10.0.3.7:5432: connection refused")]
    public void DnsFailure_ResolvedNamesAndOtherErrors_DoNotMatch(string line) => Assert.DoesNotMatch(LogPatterns.DnsFailure(), line);
}
