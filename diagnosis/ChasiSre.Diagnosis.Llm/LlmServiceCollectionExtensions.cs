using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Registers the diagnosis LLM pipeline. Idempotent; options are validated on start.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>Service key of the diagnosis <see cref="IChatClient"/> (also registered unkeyed unless another is).</summary>
    public const string ServiceKey = "chasi.diagnosis.llm";

    /// <summary>
    /// Registers <see cref="LlmPipelineFactory"/> and the <see cref="IChatClient"/> it builds: the
    /// provider from <see cref="LlmOptions.Provider"/> behind redaction, token budget, cache,
    /// OpenTelemetry, JSON mode, retry, rate limit and timeout. Bind <see cref="LlmOptions.SectionName"/>
    /// in the composition root.
    /// </summary>
    public static OptionsBuilder<LlmOptions> AddChasiLlm(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmProviderSettingsValidator>());
        services.TryAddSingleton(sp => new LlmPipelineFactory(
            sp.GetRequiredService<IOptions<LlmOptions>>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddKeyedSingleton<IChatClient>(ServiceKey, (sp, _) => sp.GetRequiredService<LlmPipelineFactory>().ChatClient);
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IChatClient>(ServiceKey));
        return services.AddOptions<LlmOptions>().ValidateOnStart();
    }
}
