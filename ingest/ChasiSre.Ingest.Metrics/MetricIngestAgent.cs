using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// The hosted service: for the cluster <see cref="IngestOptions"/> describes (the host in
/// centralized mode, one vCluster in distributed mode) it polls metrics.k8s.io, scrapes the
/// annotated pods and services, and forgets idle series. In centralized mode the pods of every
/// vCluster run on the host (synced), so scraping the host covers them; their tenant comes from
/// the vCluster workloads found in their host namespace (label <c>chasi.io/tenant</c>, else the
/// namespace pattern, else the vCluster name), as in ingest.
/// </summary>
public sealed class MetricIngestAgent : BackgroundService
{
    private static readonly KubeResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", Namespaced: true);
    private static readonly KubeResource Deployments = new("apps", "v1", "deployments", "Deployment", Namespaced: true);
    private readonly MetricsIngestOptions options;
    private readonly IngestOptions ingest;
    private readonly MetricPublisher publisher;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;

    /// <summary>Creates the agent.</summary>
    public MetricIngestAgent(
        IOptions<MetricsIngestOptions> options,
        IOptions<IngestOptions> ingest,
        MetricPublisher publisher,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.options = options.Value;
        this.ingest = ingest.Value;
        this.publisher = publisher;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<MetricIngestAgent>();
    }

    /// <summary>The handler scrapes go through: gzip, pooled connections, the connect timeout of a scrape.</summary>
    public static SocketsHttpHandler ScrapeHandler(MetricsIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
            ConnectTimeout = options.ScrapeTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 2,
            UseProxy = false,
        };
        if (options.InsecureSkipVerify)
        {
#pragma warning disable CA5359 // Explicit opt-in (InsecureSkipVerify), as Prometheus' tls_config.insecure_skip_verify.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pattern = string.IsNullOrEmpty(ingest.TenantNamespacePattern)
            ? null
            : new Regex(ingest.TenantNamespacePattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        var tenants = new TenantResolver(pattern);
        var identity = ingest.Mode == IngestMode.Centralized
            ? ClusterIdentity.Host(ingest.ClusterName)
            : ClusterIdentity.VCluster(ingest.ClusterName, ingest.Tenant ?? ingest.ClusterName, ingest.HostCluster, ingest.HostNamespace ?? "");
        using var client = new KubeApiClient(IngestAgent.RootConfiguration(ingest), ingest.RequestTimeout);
        using var http = new HttpClient(ScrapeHandler(options)) { Timeout = Timeout.InfiniteTimeSpan };
        using var scraper = new PrometheusScraper(http, client, identity, tenants, publisher, options, timeProvider, loggerFactory.CreateLogger<PrometheusScraper>());
        var poller = new ResourceMetricsPoller(client, identity, tenants, publisher, options, timeProvider, loggerFactory.CreateLogger<ResourceMetricsPoller>());
        Log.AgentStarted(logger, identity.ToString(), options.ResourceMetrics, options.Scrape);

        var loops = new List<Task> { EvictAsync(stoppingToken) };
        if (options.ResourceMetrics)
        {
            loops.Add(poller.RunAsync(stoppingToken));
        }

        if (options.Scrape)
        {
            loops.Add(scraper.RunAsync(
                async cancellationToken =>
                {
                    if (identity.Layer == Layer.Host)
                    {
                        await LearnVClusterTenantsAsync(client, tenants, cancellationToken);
                    }

                    return await scraper.DiscoverAsync(cancellationToken);
                },
                stoppingToken));
        }

        await Task.WhenAll(loops);
    }

    private static async Task LearnVClusterTenantsAsync(KubeApiClient client, TenantResolver tenants, CancellationToken cancellationToken)
    {
        foreach (var resource in (KubeResource[])[StatefulSets, Deployments])
        {
            string? next = null;
            do
            {
                using var page = await client.ListPageAsync(resource, 500, next, labelSelector: "app=vcluster", cancellationToken: cancellationToken);
                foreach (var workload in page.Items.Select(i => JsonObject.Create(i)!))
                {
                    var labels = workload["metadata"]?["labels"];
                    var ns = workload["metadata"]?["namespace"]?.GetValue<string>();
                    var release = labels?["release"]?.GetValue<string>();
                    if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(release))
                    {
                        continue;
                    }

                    var tenant = labels?[TenantResolver.TenantLabel]?.GetValue<string>() is { Length: > 0 } labelled
                        ? labelled
                        : tenants.TenantOfVCluster(ns, release);
                    tenants.SetVCluster(ns, release, tenant);
                }

                next = page.Continue;
            }
            while (next is not null);
        }
    }

    private async Task EvictAsync(CancellationToken cancellationToken)
    {
        var period = options.SeriesIdleTimeout / 2;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(period, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var evicted = publisher.Normalizer.EvictIdle();
            if (evicted > 0)
            {
                Log.SeriesEvicted(logger, evicted);
            }
        }
    }
}
