using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>DI registration of the executor's policy.</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ExecutorOptions"/> (validated on start) and the <see cref="ActionPolicy"/> its
    /// <see cref="ExecutorOptions.PolicyFile"/> names, loaded and validated when the host starts (a bad policy
    /// stops the start with every error, file:line:column). Idempotent. Bind the options in the composition root:
    /// <c>services.AddActionPolicy().BindConfiguration(ExecutorOptions.SectionName)</c>.
    /// </summary>
    public static OptionsBuilder<ExecutorOptions> AddActionPolicy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ExecutorOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ExecutorOptions>>().Value;
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(ExecutorServiceCollectionExtensions).Namespace!) ?? NullLogger.Instance;
            if (settings.PolicyFile.Length == 0)
            {
                logger.DefaultPolicy(ExecutorOptions.SectionName);
                return ActionPolicy.Default;
            }

            var policy = PolicyLoader.Load(settings.PolicyFile);
            logger.PolicyLoaded(policy.Name, policy.Source, policy.Rules.Count, policy.FreezeWindows.Count);
            return policy;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, PolicyStartupCheck>());
        return options;
    }
}
