using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Operator;

/// <summary>Registers the operator.</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="OperatorController"/> hosted service (leader election, watches, reconciles) with
    /// <see cref="OperatorOptions"/> (section <c>Operator</c>, validated on start), the host cluster's client, and the
    /// Kafka hand-off of knowledge documents (section <c>Kafka</c>). Idempotent.
    /// </summary>
    public static IServiceCollection AddChasiOperator(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(OperatorController)))
        {
            return services;
        }

        services.AddValidatedOptions<OperatorOptions>(OperatorOptions.SectionName);
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<IKubernetes>(sp => new Kubernetes(HostConfiguration(sp.GetRequiredService<IOptions<OperatorOptions>>().Value)));
        services.TryAddSingleton<IKnowledgeHandOff, KafkaKnowledgeHandOff>();
        services.TryAddSingleton(sp => new KubeObjectClient(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IOptions<OperatorOptions>>().Value.FieldManager));
        services.TryAddSingleton(sp => new VClusterConnector(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IOptions<OperatorOptions>>().Value.RequestTimeout));
        services.TryAddSingleton(sp => new SreAgentReconciler(sp.GetRequiredService<KubeObjectClient>(), sp.GetRequiredService<VClusterConnector>(), sp.GetRequiredService<IOptions<OperatorOptions>>().Value));
        services.TryAddSingleton(sp => new KnowledgeSourceReconciler(sp.GetRequiredService<KubeObjectClient>(), sp.GetRequiredService<IKnowledgeHandOff>(), sp.GetRequiredService<IOptions<OperatorOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ActionPolicyReconciler(sp.GetRequiredService<KubeObjectClient>(), sp.GetRequiredService<IOptions<OperatorOptions>>().Value));
        services.TryAddSingleton(sp => new StatusReporter(sp.GetRequiredService<KubeObjectClient>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new OperatorReconciler(
            sp.GetRequiredService<KubeObjectClient>(),
            sp.GetRequiredService<SreAgentReconciler>(),
            sp.GetRequiredService<KnowledgeSourceReconciler>(),
            sp.GetRequiredService<ActionPolicyReconciler>(),
            sp.GetRequiredService<StatusReporter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OperatorReconciler>>()));
        services.TryAddSingleton<OperatorController>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorController>());
        return services;
    }

    /// <summary>The host cluster: the configured kubeconfig, else the in-cluster service account, else the default kubeconfig.</summary>
    public static KubernetesClientConfiguration HostConfiguration(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = !string.IsNullOrEmpty(options.Kubeconfig)
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, options.Context)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.Context);
        configuration.HttpClientTimeout = options.RequestTimeout;
        return configuration;
    }
}
