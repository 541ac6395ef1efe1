using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>DI registration of the executor's policy and flow.</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ExecutorOptions"/> (validated on start) and the <see cref="ActionPolicySource"/> of the
    /// policy its <see cref="ExecutorOptions.PolicyFile"/> names, loaded and validated when the host starts (a bad policy
    /// stops the start with every error, file:line:column) and re-read every
    /// <see cref="ExecutorOptions.PolicyReloadInterval"/> while the host runs. Idempotent. Bind the options in the
    /// composition root: <c>services.AddActionPolicy().BindConfiguration(ExecutorOptions.SectionName)</c>.
    /// </summary>
    public static OptionsBuilder<ExecutorOptions> AddActionPolicy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ExecutorOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutorOptions>, ExecutorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ExecutorOptions>>().Value;
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(ExecutorServiceCollectionExtensions).Namespace!) ?? NullLogger.Instance;
            if (settings.PolicyFile.Length == 0)
            {
                logger.DefaultPolicy(ExecutorOptions.SectionName);
                return new ActionPolicySource(ActionPolicy.Default);
            }

            return ActionPolicySource.FromFile(settings.PolicyFile, logger);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, PolicyStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, PolicyReloadService>());
        return options;
    }

    /// <summary>
    /// Registers the executor's flow on top of <see cref="AddActionPolicy"/>: its Kubernetes clients
    /// (<see cref="KubernetesClusters"/>), the audit sink on <c>chasi.actions.v1</c>, the <see cref="ActionExecutor"/>,
    /// <see cref="ActionDecisions"/> and the hosted <see cref="ExecutorService"/>. Needs a <see cref="KafkaClientFactory"/>.
    /// Idempotent.
    /// </summary>
    public static OptionsBuilder<ExecutorOptions> AddActionExecutor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddActionPolicy();
        services.TryAddSingleton<KubernetesClusters>();
        services.TryAddSingleton(provider => provider.GetRequiredService<KafkaClientFactory>().CreateProducer<ActionRecord>(TopicCatalog.Components.Executor));
        services.TryAddSingleton<IActionRecordSink>(provider => new KafkaActionRecordSink(provider.GetRequiredService<RecordProducer<ActionRecord>>()));
        services.TryAddSingleton(provider => new ActionExecutor(
            provider.GetRequiredService<ActionPolicySource>(),
            provider.GetRequiredService<KubernetesClusters>(),
            provider.GetRequiredService<IActionRecordSink>(),
            provider.GetRequiredService<IOptions<ExecutorOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<ActionExecutor>>()));
        services.TryAddSingleton(provider => new ActionDecisions(provider.GetRequiredService<RecordProducer<ActionRecord>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ExecutorService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ExecutorService>(provider => provider.GetRequiredService<ExecutorService>()));
        return options;
    }
}
