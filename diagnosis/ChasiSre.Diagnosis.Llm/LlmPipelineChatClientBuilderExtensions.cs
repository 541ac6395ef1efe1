using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>The standard ChasiSre middleware stack, in its order, around any provider client.</summary>
public static class LlmPipelineChatClientBuilderExtensions
{
    /// <summary>
    /// Adds, outermost first: redaction, token budget, response cache, OpenTelemetry (sensitive data
    /// off), JSON response mode, retry, rate limit (requests per minute, then concurrency) and the
    /// per-attempt timeout. The limiters are created here and returned in <paramref name="limiters"/>;
    /// the caller owns (disposes) them.
    /// </summary>
    public static ChatClientBuilder UseChasiPipeline(this ChatClientBuilder builder, LlmOptions options, out IReadOnlyList<RateLimiter> limiters, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var created = new List<RateLimiter>();
        builder.UseRedaction(loggerFactory)
            .UseTokenBudget(options.MaxInputTokens, options.MaxOutputTokens, loggerFactory: loggerFactory);
        if (options.CacheDuration > TimeSpan.Zero)
        {
            builder.UseResponseCache(options.CacheDuration, options.CacheMaxEntries, timeProvider, loggerFactory);
        }

        builder.UseOpenTelemetry(loggerFactory, LlmTelemetryNames.SourceName, otel => otel.EnableSensitiveData = false)
            .UseJsonResponseMode(options.Provider == LlmProvider.LlamaSharp ? LlmJsonMode.Schema : options.JsonMode, options.BlankResponseRetries, loggerFactory)
            .UseRetry(options.MaxAttempts, options.RetryBaseDelay, options.MaxRetryDelay, timeProvider, loggerFactory);
        if (options.RequestsPerMinute > 0)
        {
            var rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, options.RequestsPerMinute / 6),
                TokensPerPeriod = Math.Max(1, options.RequestsPerMinute / 6),
                ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                QueueLimit = 10_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            created.Add(rate);
            builder.UseRateLimit(rate, timeProvider, loggerFactory);
        }

        var concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentRequests,
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        created.Add(concurrency);
        builder.UseRateLimit(concurrency, timeProvider, loggerFactory)
            .UseTimeout(options.RequestTimeout, options.StreamIdleTimeout, timeProvider, loggerFactory);
        limiters = created;
        return builder;
    }
}
