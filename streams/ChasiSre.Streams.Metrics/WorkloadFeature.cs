namespace ChasiSre.Streams.Metrics;

/// <summary>The features of a workload's window that <see cref="WorkloadPcaMonitor"/> models (the vector's positions, in order).</summary>
public enum WorkloadFeature
{
    /// <summary>Container restarts per minute (increase of the restart counters of the workload's pods).</summary>
    RestartRate,

    /// <summary>CPU cores used (sum over the workload's series of their window means).</summary>
    Cpu,

    /// <summary>Memory working set bytes (sum over the workload's series of their window means).</summary>
    Memory,

    /// <summary>Error (and worse) log lines per minute.</summary>
    ErrorLogRate,

    /// <summary>Latency in seconds (the highest of the workload's latency series' window means), where present.</summary>
    Latency,
}
