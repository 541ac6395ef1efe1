using System.Text.RegularExpressions;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest;

/// <summary>
/// The ingest component: in centralized mode it watches the host cluster and, through
/// <see cref="VClusterDiscovery"/>, every vCluster; in distributed mode it watches only the
/// cluster it runs in (a vCluster) under the identity configured. Same binary, configuration only.
/// </summary>
public sealed class IngestAgent : BackgroundService
{
    private readonly IngestOptions options;
    private readonly IIngestSink sink;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private ClusterWatch? root;
    private VClusterDiscovery? discovery;

    /// <summary>Creates the agent.</summary>
    public IngestAgent(IOptions<IngestOptions> options, IIngestSink sink, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.sink = sink;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
    }

    /// <summary>Every cluster being watched: the root cluster first, then discovered vClusters.</summary>
    public IReadOnlyList<ClusterWatch> Clusters =>
        root is null ? [] : [root, .. discovery?.Clusters ?? []];

    /// <summary>True once the root cluster and every discovered vCluster delivered their first lists.</summary>
    public bool Synced => Clusters is { Count: > 0 } clusters && clusters.All(c => c.Synced);

    /// <summary>The connection to the root cluster from the options: a kubeconfig file, or in-cluster, or the default kubeconfig.</summary>
    public static KubernetesClientConfiguration RootConfiguration(IngestOptions options)
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
        var pattern = string.IsNullOrEmpty(options.TenantNamespacePattern)
            ? null
            : new Regex(options.TenantNamespacePattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        var tenants = new TenantResolver(pattern);
        var client = new KubeApiClient(RootConfiguration(options), options.RequestTimeout);
        Task discovering = Task.CompletedTask;
        if (options.Mode == IngestMode.Centralized)
        {
            var identity = ClusterIdentity.Host(options.ClusterName);
            if (options.DiscoverVClusters)
            {
                discovery = new VClusterDiscovery(identity, sink, tenants, options, timeProvider, loggerFactory);
                discovering = discovery.RunAsync(stoppingToken);
            }

            root = new ClusterWatch(identity, client, sink, tenants, options, timeProvider, loggerFactory, discovery is null ? null : discovery.ObserveAsync);
        }
        else
        {
            var identity = ClusterIdentity.VCluster(options.ClusterName, options.Tenant ?? options.ClusterName, options.HostCluster, options.HostNamespace ?? "");
            root = new ClusterWatch(identity, client, sink, tenants, options, timeProvider, loggerFactory);
        }

        root.Start();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await discovering;
        }
        finally
        {
            await root.DisposeAsync();
            if (discovery is not null)
            {
                await discovery.DisposeAsync();
            }

            await sink.FlushAsync(CancellationToken.None);
        }
    }
}
