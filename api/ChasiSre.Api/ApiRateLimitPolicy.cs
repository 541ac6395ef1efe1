using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ChasiSre.Api;

/// <summary>
/// A token bucket per API token (partition <c>token:&lt;name&gt;</c>) and a smaller one per client address for
/// requests without a valid token (<c>anonymous:&lt;address&gt;</c>). A rejected request gets 429, <c>Retry-After</c>
/// (whole seconds until a permit is back) and a problem+json body.
/// </summary>
internal sealed class ApiRateLimitPolicy(IOptions<ApiOptions> options, ILogger<ApiRateLimitPolicy> logger) : IRateLimiterPolicy<string>
{
    /// <summary>The policy name <c>/api/v1</c> requires.</summary>
    public const string Name = "chasi-api";

    private readonly ApiRateLimitOptions limits = options.Value.RateLimit;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (ApiClaims.TokenName(httpContext.User) is { } token)
        {
            return RateLimitPartition.GetTokenBucketLimiter($"token:{token}", _ => Bucket(limits.Burst, limits.PermitsPerPeriod));
        }

        var address = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetTokenBucketLimiter($"anonymous:{address}", _ => Bucket(limits.AnonymousBurst, limits.AnonymousPermitsPerPeriod));
    }

    private TokenBucketRateLimiterOptions Bucket(int size, int perPeriod) => new()
    {
        TokenLimit = size,
        TokensPerPeriod = Math.Min(perPeriod, size),
        ReplenishmentPeriod = limits.Period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Period;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        var who = ApiClaims.TokenName(http.User) is { } token ? $"token {token}" : $"address {http.Connection.RemoteIpAddress}";
        Log.RateLimited(logger, who, http.Request.Path, seconds);
        ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "rate_limit"));
        await ApiProblems.Write(http, StatusCodes.Status429TooManyRequests, "Too Many Requests", $"rate limit of {who} exceeded; retry after {seconds} s");
    }
}
