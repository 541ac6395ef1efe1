using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChasiSre.Ingest;

/// <summary>Registers the ingest component.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IngestAgent"/> as a hosted service with <see cref="IngestOptions"/> (section
    /// <c>Ingest</c>, validated on start), the Kafka client factory (section <c>Kafka</c>) and the Kafka sink.
    /// </summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<IIngestSink, KafkaIngestSink>();
        services.TryAddSingleton<IngestAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestAgent>());
        return services;
    }
}
