using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>Registers the diagnosis engine and its consumer.</summary>
public static class DiagnosisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DiagnosisEngine"/> over the LLM pipeline (<c>AddChasiLlm()</c>), the evidence pack builder and,
    /// when one is registered, the <see cref="KnowledgeBaseProvider"/>'s knowledge base. Bind
    /// <see cref="DiagnosisOptions.SectionName"/> on the returned builder. Idempotent; options are validated on start.
    /// </summary>
    public static OptionsBuilder<DiagnosisOptions> AddDiagnosisEngine(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var added = services.Any(d => d.ServiceType == typeof(DiagnosisEngine));
        services.AddChasiLlm();
        services.AddEvidencePackBuilder();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var chat = sp.GetRequiredKeyedService<IChatClient>(LlmServiceCollectionExtensions.ServiceKey);
            var packs = sp.GetRequiredService<EvidencePackBuilder>();
            var options = sp.GetRequiredService<IOptions<DiagnosisOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetService<ILogger<DiagnosisEngine>>();
            return sp.GetService<KnowledgeBaseProvider>() is { } knowledge
                ? new DiagnosisEngine(chat, packs, options, knowledge, time, logger)
                : new DiagnosisEngine(chat, packs, options, (KnowledgeBase?)null, time, logger);
        });
        var builder = services.AddOptions<DiagnosisOptions>();
        if (!added)
        {
            builder.ValidateDataAnnotations().ValidateOnStart();
        }

        return builder;
    }

    /// <summary>
    /// Registers <see cref="DiagnosisConsumer"/> as a hosted service (needs <c>AddKafka()</c> and an
    /// <see cref="IEvidenceSource"/>, e.g. <c>AddClickHouseEvidenceSource()</c>) and the engine.
    /// </summary>
    public static OptionsBuilder<DiagnosisOptions> AddDiagnosisConsumer(this IServiceCollection services)
    {
        var builder = services.AddDiagnosisEngine();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, DiagnosisConsumer>());
        return builder;
    }
}
