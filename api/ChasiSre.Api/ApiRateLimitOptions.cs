using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Api;

/// <summary>
/// Token-bucket rate limits of <c>/api/v1</c>: one bucket per API token, and one per client address for calls without a
/// valid token (so guessing tokens is slow too). A request over the limit gets 429 with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimitOptions
{
    /// <summary>Requests a token may make at once (the bucket size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Requests added back to a token's bucket every <see cref="Period"/>.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerPeriod { get; set; } = 20;

    /// <summary>How often the buckets are refilled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bucket size for calls without a valid token, per client address.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousBurst { get; set; } = 10;

    /// <summary>Requests added back to an address's bucket every <see cref="Period"/>.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitsPerPeriod { get; set; } = 1;
}
