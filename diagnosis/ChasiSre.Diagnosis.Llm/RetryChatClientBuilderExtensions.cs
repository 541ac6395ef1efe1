using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="RetryChatClient"/> to a pipeline.</summary>
public static class RetryChatClientBuilderExtensions
{
    /// <summary>Retries transient failures up to <paramref name="maxAttempts"/> attempts in all, honouring <c>Retry-After</c>.</summary>
    public static ChatClientBuilder UseRetry(this ChatClientBuilder builder, int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new RetryChatClient(inner, maxAttempts, baseDelay, maxDelay, timeProvider ?? services.GetService<TimeProvider>(), loggerFactory?.CreateLogger<RetryChatClient>());
        });
    }
}
