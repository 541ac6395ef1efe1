using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Inference;

/// <summary>Registers the local inference runtime. Idempotent; options are validated on start.</summary>
public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalLlm"/> (loaded on first use, then shared) and, unless another is
    /// registered, <see cref="IChatClient"/> as <see cref="LocalLlmChatClient"/>. Bind
    /// <see cref="LocalLlmOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<LocalLlmOptions> AddLocalLlm(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalLlmOptions>, LocalLlmOptionsValidator>());
        services.TryAddSingleton(sp => LocalLlm.Load(
            sp.GetRequiredService<IOptions<LocalLlmOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new LocalLlmChatClient(sp.GetRequiredService<LocalLlm>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IChatClient>(sp => sp.GetRequiredService<LocalLlmChatClient>());
        return services.AddOptions<LocalLlmOptions>().ValidateOnStart();
    }

    /// <summary>
    /// Registers <see cref="MiniLmEmbeddingGenerator"/> as
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings (loaded on first use). Bind
    /// <see cref="MiniLmOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<MiniLmOptions> AddMiniLmEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MiniLmOptions>, MiniLmOptionsValidator>());
        services.TryAddSingleton(sp => new MiniLmEmbeddingGenerator(
            sp.GetRequiredService<IOptions<MiniLmOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<MiniLmEmbeddingGenerator>());
        return services.AddOptions<MiniLmOptions>().ValidateOnStart();
    }
}
