using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics;

/// <summary>Registers the telemetry monitors. Idempotent; options are validated on start.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="MetricAnomalyMonitor"/> as a singleton. Bind <see cref="MetricAnomalyOptions.SectionName"/> in the composition root.</summary>
    public static OptionsBuilder<MetricAnomalyOptions> AddMetricAnomalyMonitor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricAnomalyOptions>, MetricAnomalyOptionsValidator>());
        services.TryAddSingleton(sp => new MetricAnomalyMonitor(
            sp.GetRequiredService<IOptions<MetricAnomalyOptions>>().Value,
            sp.GetService<ILogger<MetricAnomalyMonitor>>()));
        return services.AddOptions<MetricAnomalyOptions>().ValidateOnStart();
    }

    /// <summary>
    /// Registers <see cref="WorkloadPcaMonitor"/> as a singleton (each subject is its own workload: a topology that knows
    /// the cluster state constructs its own with a workload resolver). Bind <see cref="WorkloadPcaOptions.SectionName"/>.
    /// </summary>
    public static OptionsBuilder<WorkloadPcaOptions> AddWorkloadPcaMonitor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkloadPcaOptions>, WorkloadPcaOptionsValidator>());
        services.TryAddSingleton(sp => new WorkloadPcaMonitor(
            sp.GetRequiredService<IOptions<WorkloadPcaOptions>>().Value,
            workloadOf: null,
            sp.GetService<ILogger<WorkloadPcaMonitor>>()));
        return services.AddOptions<WorkloadPcaOptions>().ValidateOnStart();
    }

    /// <summary>Registers <see cref="BusinessHealthMonitor"/> as a singleton. Bind <see cref="BusinessHealthOptions.SectionName"/>.</summary>
    public static OptionsBuilder<BusinessHealthOptions> AddBusinessHealthMonitor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BusinessHealthOptions>, BusinessHealthOptionsValidator>());
        services.TryAddSingleton(sp => new BusinessHealthMonitor(
            sp.GetRequiredService<IOptions<BusinessHealthOptions>>().Value,
            sp.GetService<ILogger<BusinessHealthMonitor>>()));
        return services.AddOptions<BusinessHealthOptions>().ValidateOnStart();
    }
}
