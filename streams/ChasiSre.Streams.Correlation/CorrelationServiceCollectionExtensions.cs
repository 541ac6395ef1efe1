using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Correlation;

/// <summary>Registers the incident correlator. Idempotent; options are validated on start.</summary>
public static class CorrelationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IncidentCorrelator"/> as a singleton. Bind
    /// <see cref="CorrelationOptions.SectionName"/> in the composition root.
    /// </summary>
    public static OptionsBuilder<CorrelationOptions> AddIncidentCorrelation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CorrelationOptions>, CorrelationOptionsValidator>());
        services.TryAddSingleton(sp => new IncidentCorrelator(
            sp.GetRequiredService<IOptions<CorrelationOptions>>().Value,
            sp.GetService<ILogger<IncidentCorrelator>>()));
        return services.AddOptions<CorrelationOptions>().ValidateOnStart();
    }
}
