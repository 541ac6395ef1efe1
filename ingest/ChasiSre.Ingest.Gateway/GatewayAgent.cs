using System.Text.RegularExpressions;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// The gateway component: watches StatefulSets and Deployments (vCluster tenants) and then Pods and
/// Services of one cluster for adapter annotations (<see cref="AdapterDiscovery"/>), and polls every
/// adapter found (<see cref="AdapterScheduler"/>). In centralized mode the cluster is the host, and
/// vCluster adapters are found through their synced host twins; in distributed mode it is the vCluster
/// the gateway runs in (<see cref="GatewayOptions.Tenant"/> set).
/// </summary>
public sealed class GatewayAgent : BackgroundService
{
    private readonly GatewayOptions options;
    private readonly IGatewaySink sink;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly TaskCompletionSource<AdapterScheduler> schedulerReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the agent.</summary>
    public GatewayAgent(IOptions<GatewayOptions> options, IGatewaySink sink, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.options = options.Value;
        this.sink = sink;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<GatewayAgent>();
    }

    /// <summary>The scheduler, once the agent has started (its adapters, breakers and counts).</summary>
    public Task<AdapterScheduler> Scheduler => schedulerReady.Task;

    /// <summary>The connection to the watched cluster from the options: a kubeconfig file, or in-cluster, or the default kubeconfig.</summary>
    public static KubernetesClientConfiguration Configuration(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.Kubeconfig))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, options.Context);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.Context);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var identity = string.IsNullOrEmpty(options.Tenant)
            ? ClusterIdentity.Host(options.ClusterName)
            : ClusterIdentity.VCluster(options.ClusterName, options.Tenant, options.HostCluster, options.HostNamespace ?? "");
        var pattern = string.IsNullOrEmpty(options.TenantNamespacePattern)
            ? null
            : new Regex(options.TenantNamespacePattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        var tenants = new TenantResolver(pattern);
        using var api = new KubeApiClient(Configuration(options), options.RequestTimeout);
        var tokens = new SecretTokenSource(() => api, options.TokenRefreshInterval, timeProvider);
        using var clients = new AdapterClientFactory(options, timeProvider);
        var poller = new AdapterPoller(options, sink, tokens, timeProvider, loggerFactory.CreateLogger<AdapterPoller>());
        await using var scheduler = new AdapterScheduler(options, clients, poller, timeProvider, loggerFactory.CreateLogger<AdapterScheduler>());
        var discovery = new AdapterDiscovery(identity, tenants, scheduler, options, loggerFactory.CreateLogger<AdapterDiscovery>());
        var settings = new WatchSettings(options.PageSize, options.WatchTimeout, options.MinBackoff, options.MaxBackoff);
        var health = new ClusterHealth(timeProvider);
        var watchers = AdapterDiscovery.Resources
            .Select(resource => new ResourceWatcher(identity.Cluster, resource, () => api, discovery.ObserveAsync, settings, health, timeProvider, loggerFactory.CreateLogger<ResourceWatcher>()))
            .ToList();
        Log.Watching(logger, identity.ToString(), string.Join(", ", AdapterDiscovery.Resources));
        schedulerReady.TrySetResult(scheduler);

        var scheduling = scheduler.RunAsync(stoppingToken);
        var workloads = watchers.Where(w => w.Resource.Kind is "StatefulSet" or "Deployment").ToList();
        var tasks = workloads.Select(w => w.RunAsync(stoppingToken)).ToList();

        // vCluster tenants first, so the first adapters found already have theirs (discovery corrects them otherwise).
        await Task.WhenAny(Task.WhenAll(workloads.Select(w => w.InitialListPublished)), Task.Delay(options.RequestTimeout, timeProvider, stoppingToken));
        tasks.AddRange(watchers.Except(workloads).Select(w => w.RunAsync(stoppingToken)));
        tasks.Add(scheduling);
        await Task.WhenAll(tasks);
        tokens.Retain(new HashSet<SecretReference>());
    }
}
