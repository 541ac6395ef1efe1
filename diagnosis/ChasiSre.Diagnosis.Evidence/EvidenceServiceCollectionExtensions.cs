using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Registers the evidence pack builder and the ClickHouse evidence source. Idempotent; options are validated on start.</summary>
public static class EvidenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EvidencePackBuilder"/> (cl100k_base tokenizer) as a singleton. Bind
    /// <see cref="EvidencePackOptions.SectionName"/> on the returned builder.
    /// </summary>
    public static OptionsBuilder<EvidencePackOptions> AddEvidencePackBuilder(this IServiceCollection services, Action<EvidencePackOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new EvidencePackBuilder(sp.GetRequiredService<IOptions<EvidencePackOptions>>()));
        return Validated(services, configure);
    }

    /// <summary>
    /// Registers <see cref="ClickHouseEvidenceSource"/> as the <see cref="IEvidenceSource"/> (unless another is registered),
    /// on the <see cref="IClickHouseStore"/> of <c>AddClickHouseStore()</c>, which must be registered too. Bind
    /// <see cref="ClickHouseEvidenceSourceOptions.SectionName"/> on the returned builder.
    /// </summary>
    public static OptionsBuilder<ClickHouseEvidenceSourceOptions> AddClickHouseEvidenceSource(this IServiceCollection services, Action<ClickHouseEvidenceSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEvidenceSource>(sp => new ClickHouseEvidenceSource(
            sp.GetRequiredService<IClickHouseStore>(),
            sp.GetRequiredService<IOptions<ClickHouseOptions>>(),
            sp.GetRequiredService<IOptions<ClickHouseEvidenceSourceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ClickHouseEvidenceSource>>()));
        return Validated(services, configure);
    }

    private static OptionsBuilder<T> Validated<T>(IServiceCollection services, Action<T>? configure)
        where T : class
    {
        var alreadyAdded = services.Any(d => d.ServiceType == typeof(IValidateOptions<T>));
        var builder = services.AddOptions<T>();
        if (!alreadyAdded)
        {
            builder.ValidateDataAnnotations().ValidateOnStart();
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return builder;
    }
}
