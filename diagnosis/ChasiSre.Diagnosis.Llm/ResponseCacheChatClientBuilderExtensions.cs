using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="ResponseCacheChatClient"/> to a pipeline.</summary>
public static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>Reuses complete answers of identical requests (model + prompt + output-changing options) for <paramref name="timeToLive"/>.</summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder, TimeSpan timeToLive, int maxEntries, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new ResponseCacheChatClient(inner, timeToLive, maxEntries, timeProvider ?? services.GetService<TimeProvider>(), loggerFactory?.CreateLogger<ResponseCacheChatClient>());
        });
    }
}
