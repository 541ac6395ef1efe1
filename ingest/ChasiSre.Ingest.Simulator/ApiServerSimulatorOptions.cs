using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Simulator;

/// <summary>Settings of one simulated Kubernetes API server.</summary>
public sealed class ApiServerSimulatorOptions
{
    public const string SectionName = "Ingest:Simulator";

    /// <summary>Name of the simulated cluster; also the cluster and context name in the kubeconfig.</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string ClusterName { get; set; } = "host";

    /// <summary>Clock for creationTimestamp defaults, log timestamps, table ages, bookmarks and watch timeouts.</summary>
    [Required]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK event. The real
    /// apiserver sends one about every minute; the 1 s default keeps tests and benchmarks short.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Watch events kept for resuming a watch from a resourceVersion (the watch cache). A watch
    /// from a resourceVersion older than the oldest kept event gets 410 Gone.
    /// </summary>
    [Range(1, 10_000_000)]
    public int WatchHistoryLimit { get; set; } = 10_000;

    /// <summary>
    /// Events buffered per watch for a client that does not read; when full, the server closes
    /// that watch (as the real apiserver does with an unresponsive watcher).
    /// </summary>
    [Range(16, 10_000_000)]
    public int WatchBufferSize { get; set; } = 100_000;

    /// <summary>Kubernetes version served by <c>/version</c>.</summary>
    [Required]
    [RegularExpression(@"^v1\.\d+\.\d+$")]
    public string KubernetesVersion { get; set; } = "v1.33.4";

    /// <summary>Logger factory for the simulator and its Kestrel server; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
