using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>Registers the pipeline's knowledge sources. Idempotent; options are validated on start.</summary>
public static class KnowledgeSourcesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PastIncidentIndexer"/> and <see cref="PastIncidentIndexerService"/> (periodic). Needs the
    /// ClickHouse store (<c>AddClickHouseStore</c>) and the knowledge base (<c>AddKnowledgeBase</c>). Bind
    /// <see cref="PastIncidentIndexerOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<PastIncidentIndexerOptions> AddPastIncidentIndexer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PastIncidentIndexer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PastIncidentIndexerService>());
        return services.AddOptions<PastIncidentIndexerOptions>().ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>
    /// Registers <see cref="BusinessRunbookConsumer"/> as a hosted service. Needs the Kafka client factory and the
    /// knowledge base. Bind <see cref="BusinessRunbookConsumerOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<BusinessRunbookConsumerOptions> AddBusinessRunbookConsumer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<BusinessRunbookConsumer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BusinessRunbookConsumer>(sp => sp.GetRequiredService<BusinessRunbookConsumer>()));
        return services.AddOptions<BusinessRunbookConsumerOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
