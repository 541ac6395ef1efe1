using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Ingest;

/// <summary>Fetching logs of containers in trouble.</summary>
public sealed class PodLogOptions
{
    /// <summary>Fetch logs at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Lines from the end of each log.</summary>
    [Range(1, 10_000)]
    public int TailLines { get; set; } = 200;

    /// <summary>Bytes at most per log request.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 256 * 1024;

    /// <summary>Characters per line; longer lines are cut and marked truncated.</summary>
    [Range(128, 1024 * 1024)]
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>Per container, at most one fetch per interval unless it restarted again.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Log requests in flight per cluster.</summary>
    [Range(1, 64)]
    public int MaxConcurrentFetches { get; set; } = 4;

    /// <summary>Pending fetches per cluster; beyond it a fetch is skipped (the pod's next change asks again).</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Also fetch logs of host twins of vCluster pods (the vCluster's own watcher fetches them otherwise).</summary>
    public bool FetchHostTwins { get; set; }
}
