namespace ChasiSre.Streams.Metrics;

/// <summary>Names of the monitors' instruments (dashboards depend on them).</summary>
public static class MetricsTelemetryNames
{
    /// <summary>Meter name.</summary>
    public const string SourceName = "ChasiSre.Streams.Metrics";

    /// <summary>Metric points taken in, tagged with <see cref="OutcomeTag"/> (accepted, late, non_finite).</summary>
    public const string Points = "chasisre.streams.metrics.points";

    /// <summary>Closed windows scored, tagged with <see cref="VerdictTag"/> (warmup, normal, anomalous).</summary>
    public const string Windows = "chasisre.streams.metrics.windows";

    /// <summary>Series forgotten, tagged with <see cref="ReasonTag"/> (idle, capacity).</summary>
    public const string Evictions = "chasisre.streams.metrics.evictions";

    /// <summary>Series tracked now.</summary>
    public const string Series = "chasisre.streams.metrics.series";

    /// <summary>Workload PCA models trained.</summary>
    public const string ModelTrainings = "chasisre.streams.metrics.pca.trainings";

    /// <summary>Workload PCA trainings ML.NET rejected (the previous model stays).</summary>
    public const string ModelTrainingFailures = "chasisre.streams.metrics.pca.training.failures";

    /// <summary>Time to train one workload PCA model.</summary>
    public const string ModelTrainingDuration = "chasisre.streams.metrics.pca.training.duration";

    /// <summary>Business records taken in, tagged with <see cref="OutcomeTag"/> (status, event, log, ignored).</summary>
    public const string BusinessRecords = "chasisre.streams.business.records";

    /// <summary>Findings raised or cleared, tagged with <see cref="DetectorTag"/> and <see cref="StateTag"/> (raised, cleared).</summary>
    public const string Findings = "chasisre.streams.metrics.findings";

    public const string OutcomeTag = "outcome";
    public const string VerdictTag = "verdict";
    public const string ReasonTag = "reason";
    public const string DetectorTag = "detector";
    public const string StateTag = "state";
}
