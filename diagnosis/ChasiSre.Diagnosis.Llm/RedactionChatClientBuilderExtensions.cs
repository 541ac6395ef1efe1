using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="RedactingChatClient"/> to a pipeline.</summary>
public static class RedactionChatClientBuilderExtensions
{
    /// <summary>Pseudonymises names, IPs and registry paths and removes secrets before anything else sees the prompt.</summary>
    public static ChatClientBuilder UseRedaction(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new RedactingChatClient(inner, loggerFactory?.CreateLogger<RedactingChatClient>());
        });
    }
}
