using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Streams.Metrics;

/// <summary>How <see cref="WorkloadPcaMonitor"/> models workloads: one ML.NET RandomizedPca model per workload over the feature
/// vectors (<see cref="WorkloadFeature"/>) of its windows, retrained on a sliding history.</summary>
public sealed class WorkloadPcaOptions : IValidatableObject
{
    public const string SectionName = "Streams:WorkloadPca";

    /// <summary>Width of the windows a feature vector summarises.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Windows kept as training history (sliding: one day at 5 min).</summary>
    [Range(8, 100_000)]
    public int HistoryWindows { get; set; } = 288;

    /// <summary>Windows needed before the first model is trained (nothing is judged before).</summary>
    [Range(8, 100_000)]
    public int MinTrainingWindows { get; set; } = 96;

    /// <summary>Windows between retrainings; each retraining bumps the model version.</summary>
    [Range(1, 100_000)]
    public int RetrainEvery { get; set; } = 48;

    /// <summary>Principal components kept (less than the number of features).</summary>
    [Range(1, 4)]
    public int Rank { get; set; } = 2;

    /// <summary>Seed of the ML context and of the randomized PCA (training is deterministic).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The threshold is this quantile of the training windows' scores ...</summary>
    [Range(0.5, 1.0)]
    public double ThresholdQuantile { get; set; } = 0.99;

    /// <summary>... times this margin.</summary>
    [Range(1.0, 100.0)]
    public double ThresholdMargin { get; set; } = 2.0;

    /// <summary>How long a finding stays active after its last anomalous window ends.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HoldFor { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long after its end an open window is closed by <see cref="WorkloadPcaMonitor.Advance"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A workload with no data for this long is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Workloads modelled at most; beyond it the least recently updated one is evicted.</summary>
    [Range(1, 1_000_000)]
    public int MaxWorkloads { get; set; } = 5_000;

    /// <summary>Restart counters (increase per window).</summary>
    public IList<string> RestartMetrics { get; init; } = ["kube_pod_container_status_restarts_total", "container_restarts_total"];

    /// <summary>CPU series.</summary>
    public IList<string> CpuMetrics { get; init; } = ["container_cpu_usage_cores"];

    /// <summary>Memory series.</summary>
    public IList<string> MemoryMetrics { get; init; } = ["container_memory_working_set_bytes"];

    /// <summary>Latency series (seconds).</summary>
    public IList<string> LatencyMetrics { get; init; } = ["http_request_duration_seconds_p99", "http_server_request_duration_seconds_p99", "request_latency_seconds"];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinTrainingWindows > HistoryWindows)
        {
            yield return new ValidationResult($"{nameof(MinTrainingWindows)} ({MinTrainingWindows}) must not exceed {nameof(HistoryWindows)} ({HistoryWindows}).", [nameof(MinTrainingWindows)]);
        }
    }
}
