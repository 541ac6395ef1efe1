using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Store;

/// <summary>Registers the ClickHouse sink.</summary>
public static class ClickHouseSinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ClickHouseSink"/> as a singleton with <see cref="ClickHouseSinkOptions"/> validated on
    /// start. Needs <see cref="KafkaClientFactory"/> and the ClickHouse store (<c>AddClickHouseStore</c>) registered.
    /// Idempotent. Bind configuration on the returned builder:
    /// <c>services.AddClickHouseSink().BindConfiguration(ClickHouseSinkOptions.SectionName)</c>.
    /// </summary>
    public static OptionsBuilder<ClickHouseSinkOptions> AddClickHouseSink(this IServiceCollection services, Action<ClickHouseSinkOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var alreadyAdded = services.Any(d => d.ServiceType == typeof(ClickHouseSink));
        var options = services.AddOptions<ClickHouseSinkOptions>();
        if (!alreadyAdded)
        {
            options.ValidateDataAnnotations().ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new ClickHouseSink(
            provider.GetRequiredService<KafkaClientFactory>(),
            provider.GetRequiredService<IClickHouseStore>(),
            provider.GetRequiredService<IOptions<ClickHouseSinkOptions>>(),
            provider.GetRequiredService<IOptions<ClickHouseOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        return options;
    }
}
