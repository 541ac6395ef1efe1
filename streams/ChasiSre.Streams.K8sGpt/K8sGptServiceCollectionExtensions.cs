using ChasiSre.Platform.Kafka;
using ChasiSre.Streams.Detection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>Registers the k8sgpt interop. Idempotent; options are validated on start.</summary>
public static class K8sGptServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="K8sGptResultDetector"/> as an <see cref="IDetector"/>, the
    /// <see cref="CustomAnalyzerPoller"/> (hosted, also resolvable for its status), and
    /// <see cref="KafkaSignalSink"/> as the <see cref="ISignalSink"/> unless one is registered.
    /// Bind <see cref="K8sGptInteropOptions.SectionName"/> (and the Kafka options) in the composition root.
    /// </summary>
    public static OptionsBuilder<K8sGptInteropOptions> AddK8sGptInterop(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<K8sGptInteropOptions>, K8sGptInteropOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDetector, K8sGptResultDetector>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<ISignalSink, KafkaSignalSink>();
        if (!services.Any(d => d.ServiceType == typeof(CustomAnalyzerPoller)))
        {
            services.AddSingleton<CustomAnalyzerPoller>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<CustomAnalyzerPoller>());
        }

        return services.AddOptions<K8sGptInteropOptions>().ValidateOnStart();
    }
}
