using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway;

/// <summary>Registers the adapter gateway.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GatewayAgent"/> as a hosted service with <see cref="GatewayOptions"/> (section
    /// <c>Gateway</c>, validated on start), the Kafka client factory (section <c>Kafka</c>) and the Kafka
    /// sink. Idempotent.
    /// </summary>
    public static OptionsBuilder<GatewayOptions> AddGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsRules>());
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<IGatewaySink, KafkaGatewaySink>();
        services.TryAddSingleton<GatewayAgent>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, GatewayAgent>(sp => sp.GetRequiredService<GatewayAgent>()));
        return services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
    }
}
