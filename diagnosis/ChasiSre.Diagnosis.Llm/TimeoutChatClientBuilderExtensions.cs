using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="TimeoutChatClient"/> to a pipeline.</summary>
public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Bounds each attempt by <paramref name="requestTimeout"/> and a stream by <paramref name="streamIdleTimeout"/> between chunks.</summary>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, TimeSpan requestTimeout, TimeSpan streamIdleTimeout, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new TimeoutChatClient(inner, requestTimeout, streamIdleTimeout, timeProvider ?? services.GetService<TimeProvider>(), loggerFactory?.CreateLogger<TimeoutChatClient>());
        });
    }
}
