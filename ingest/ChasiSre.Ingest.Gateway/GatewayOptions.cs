using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Ingest.Gateway;

/// <summary>Where the gateway discovers adapters and how it polls them (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Name of the cluster the gateway watches (the host cluster's name, or the vCluster's in distributed mode).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    public string ClusterName { get; set; } = "host";

    /// <summary>
    /// Distributed mode: the tenant of the vCluster the gateway runs in. When set, the watched cluster is that
    /// vCluster (layer VIRTUAL) and every adapter in it belongs to this tenant; when empty, the watched cluster is a
    /// host and tenants come from vCluster twins and <see cref="TenantNamespacePattern"/>.
    /// </summary>
    public string? Tenant { get; set; }

    /// <summary>Distributed mode: the host cluster the vCluster runs on.</summary>
    public string HostCluster { get; set; } = "host";

    /// <summary>Distributed mode: the vCluster's host namespace.</summary>
    public string? HostNamespace { get; set; }

    /// <summary>Kubeconfig file; in-cluster configuration, then the default kubeconfig, when empty.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig context; the current one when empty.</summary>
    public string? Context { get; set; }

    /// <summary>Pattern with a <c>tenant</c> group naming the tenant of a host namespace (Sealos <c>ns-&lt;user&gt;</c>); empty: none.</summary>
    public string TenantNamespacePattern { get; set; } = "^ns-(?<tenant>[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    /// <summary>Poll interval of an adapter without a <c>chasi.io/adapter-interval</c> annotation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Shortest interval an annotation may ask for (shorter ones are raised to it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Each poll is moved by up to this fraction of the interval, at random, so adapters do not align.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>How often the scheduler looks for due adapters (the resolution of the timer wheel).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan SchedulerTick { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deadline of one adapter call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Polls running at once across all adapters; further due polls wait (their lag is measured).</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPolls { get; set; } = 64;

    /// <summary>Largest adapter response accepted, in bytes; a larger one is dead-lettered.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest BusinessRecord published, in bytes; a larger item is dead-lettered.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 900 * 1024;

    /// <summary>Most log lines or events asked for per call.</summary>
    [Range(1, 100_000)]
    public int MaxItemsPerCall { get; set; } = 500;

    /// <summary>Calls per operation and poll when the adapter says it truncated (older pages are fetched backwards).</summary>
    [Range(1, 100)]
    public int MaxPagesPerPoll { get; set; } = 4;

    /// <summary>How far back the first poll of an adapter reads logs and events.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest window one poll reads (after an outage the gateway catches up at most this far).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often runbooks are listed (they change rarely); also on an adapter's first poll.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RunbooksInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Consecutive failed polls that open an adapter's circuit breaker.</summary>
    [Range(1, 100)]
    public int BreakerFailureThreshold { get; set; } = 3;

    /// <summary>How long an open breaker waits before a half-open trial poll; doubled after each failed trial.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan BreakerOpenDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest an open breaker waits.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan BreakerMaxOpenDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a token read from a Secret is used before it is read again (it is re-read at once on UNAUTHENTICATED).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Objects per list page of the pod and service watchers.</summary>
    [Range(10, 10_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Server-side watch timeout (each watch picks a value in [t, 2t)).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline of one Kubernetes API request (lists, secret reads).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay of a failed list/watch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retry delay of a failed list/watch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
