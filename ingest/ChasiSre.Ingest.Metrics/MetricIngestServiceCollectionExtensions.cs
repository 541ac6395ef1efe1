using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Metrics;

/// <summary>Registers metric ingestion.</summary>
public static class MetricIngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MetricIngestAgent"/> as a hosted service with <see cref="MetricsIngestOptions"/>
    /// (section <c>Ingest:Metrics</c>), <see cref="IngestOptions"/> (section <c>Ingest</c>: cluster,
    /// mode, kubeconfig, tenant pattern) and <see cref="KafkaOptions"/>, all validated on start, the
    /// normalizer, the publisher and the Kafka sink. Idempotent.
    /// </summary>
    public static IServiceCollection AddMetricIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(MetricIngestAgent)))
        {
            return services;
        }

        services.AddValidatedOptions<MetricsIngestOptions>(MetricsIngestOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<IMetricSink, KafkaMetricSink>();
        services.TryAddSingleton(sp => new MetricNormalizer(sp.GetRequiredService<IOptions<MetricsIngestOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new MetricPublisher(
            sp.GetRequiredService<MetricNormalizer>(),
            sp.GetRequiredService<IMetricSink>(),
            sp.GetRequiredService<IOptions<MetricsIngestOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MetricPublisher>>()));
        services.TryAddSingleton<MetricIngestAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricIngestAgent>());
        return services;
    }
}
