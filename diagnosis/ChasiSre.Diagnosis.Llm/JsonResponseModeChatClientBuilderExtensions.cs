using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="JsonResponseModeChatClient"/> to a pipeline.</summary>
public static class JsonResponseModeChatClientBuilderExtensions
{
    /// <summary>Sends JSON-schema requests the way the provider accepts them and asks again on blank JSON answers.</summary>
    public static ChatClientBuilder UseJsonResponseMode(this ChatClientBuilder builder, LlmJsonMode mode, int blankRetries = 2, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new JsonResponseModeChatClient(inner, mode, blankRetries, loggerFactory?.CreateLogger<JsonResponseModeChatClient>());
        });
    }
}
