using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>
/// Checks <c>authorization: Bearer &lt;token&gt;</c> in constant time. With a token file (a
/// mounted Secret), the file is re-read when its write time changes, so a rotated Secret takes
/// effect without a restart.
/// </summary>
internal sealed class BearerTokenCheck
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);
    private readonly AdapterOptions options;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private byte[] expected;
    private DateTime fileWrittenAt;
    private long nextCheck;

    public BearerTokenCheck(IOptions<AdapterOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        expected = string.IsNullOrEmpty(this.options.Token) ? [] : Encoding.UTF8.GetBytes(this.options.Token);
    }

    /// <summary>Throws <see cref="AdapterCallException"/> (UNAUTHENTICATED) unless the header carries the token.</summary>
    public void Demand(string? authorization)
    {
        if (options.AllowAnonymous)
        {
            return;
        }

        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw AdapterCallException.Unauthenticated("missing bearer token");
        }

        var presented = Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString());
        var token = Current();
        if (token.Length == 0 || !CryptographicOperations.FixedTimeEquals(presented, token))
        {
            throw AdapterCallException.Unauthenticated("invalid bearer token");
        }
    }

    private byte[] Current()
    {
        if (string.IsNullOrEmpty(options.TokenFile))
        {
            return expected;
        }

        lock (gate)
        {
            var now = time.GetTimestamp();
            if (now < nextCheck)
            {
                return expected;
            }

            nextCheck = now + (long)(RecheckInterval.TotalSeconds * time.TimestampFrequency);
            var written = File.GetLastWriteTimeUtc(options.TokenFile);
            if (written != fileWrittenAt || expected.Length == 0)
            {
                // A missing file leaves no valid token: every call is refused rather than let through.
                expected = File.Exists(options.TokenFile) ? Encoding.UTF8.GetBytes(File.ReadAllText(options.TokenFile).Trim()) : [];
                fileWrittenAt = written;
            }

            return expected;
        }
    }
}
