using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="RateLimitingChatClient"/> to a pipeline.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>Makes every request take a permit of <paramref name="limiter"/> first.</summary>
    public static ChatClientBuilder UseRateLimit(this ChatClientBuilder builder, RateLimiter limiter, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(limiter);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new RateLimitingChatClient(inner, limiter, timeProvider ?? services.GetService<TimeProvider>(), loggerFactory?.CreateLogger<RateLimitingChatClient>());
        });
    }
}
