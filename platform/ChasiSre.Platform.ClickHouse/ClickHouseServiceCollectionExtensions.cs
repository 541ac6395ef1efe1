using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Registers the ClickHouse store.</summary>
public static class ClickHouseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IClickHouseStore"/> (chDB or server, per <see cref="ClickHouseOptions.Backend"/>) and
    /// <see cref="ClickHouseSchemaMigrator"/> as singletons, with <see cref="ClickHouseOptions"/> validated on start.
    /// Idempotent. Bind configuration on the returned builder, e.g.
    /// <c>services.AddClickHouseStore().BindConfiguration(ClickHouseOptions.SectionName)</c>.
    /// </summary>
    public static OptionsBuilder<ClickHouseOptions> AddClickHouseStore(this IServiceCollection services, Action<ClickHouseOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var alreadyAdded = services.Any(d => d.ServiceType == typeof(IClickHouseStore));
        var options = services.AddOptions<ClickHouseOptions>();
        if (!alreadyAdded)
        {
            options.ValidateDataAnnotations().ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IClickHouseStore>(CreateStore);
        services.TryAddSingleton(provider => new ClickHouseSchemaMigrator(
            provider.GetRequiredService<IClickHouseStore>(),
            provider.GetRequiredService<IOptions<ClickHouseOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            Logger<ClickHouseSchemaMigrator>(provider)));
        return options;
    }

    private static IClickHouseStore CreateStore(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ClickHouseOptions>>();
        return options.Value.Backend switch
        {
            ClickHouseBackend.Server => new ClickHouseServerStore(options, Logger<ClickHouseServerStore>(provider)),
            _ => new ChDbStore(options, Logger<ChDbStore>(provider)),
        };
    }

    private static ILogger<T> Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
