using ChasiSre.Platform.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Registers the knowledge base. Idempotent; options are validated on start.</summary>
public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KnowledgeBase"/> (opened on first use by <see cref="KnowledgeBaseProvider"/>)
    /// and, unless another embedding generator is registered, the local MiniLM one. Bind
    /// <see cref="KnowledgeBaseOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<KnowledgeBaseOptions> AddKnowledgeBase(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMiniLmEmbeddings();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KnowledgeBaseOptions>, KnowledgeBaseOptionsValidator>());
        services.TryAddSingleton(sp => new KnowledgeBaseProvider(
            sp.GetRequiredService<IOptions<KnowledgeBaseOptions>>().Value,
            sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        return services.AddOptions<KnowledgeBaseOptions>()
            .Validate(KnowledgeBaseOptionsValidator.HasQdrantEndpointWhenNeeded, KnowledgeBaseOptionsValidator.QdrantEndpointRequired)
            .ValidateOnStart();
    }

    /// <summary>
    /// Uses a remote OpenAI-compatible or Ollama embeddings endpoint instead of MiniLM. Call before
    /// <see cref="AddKnowledgeBase"/> (it only adds MiniLM when no generator is registered). Bind
    /// <see cref="EmbeddingEndpointOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<EmbeddingEndpointOptions> AddEmbeddingEndpoint(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingEndpointOptions>, EmbeddingEndpointOptionsValidator>());
        services.TryAddSingleton(sp => new HttpEmbeddingGenerator(
            sp.GetRequiredService<IOptions<EmbeddingEndpointOptions>>().Value,
            httpClient: null,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<HttpEmbeddingGenerator>());
        return services.AddOptions<EmbeddingEndpointOptions>().ValidateOnStart();
    }
}
