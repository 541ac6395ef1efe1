using System.Diagnostics.Metrics;

namespace ChasiSre.Streams.Metrics;

/// <summary>The assembly's Meter and instruments.</summary>
internal static class MetricsTelemetry
{
    public static readonly Meter Meter = new(MetricsTelemetryNames.SourceName);

    public static readonly Counter<long> Points = Meter.CreateCounter<long>(MetricsTelemetryNames.Points, "{point}", "Metric points taken in, by outcome.");

    public static readonly Counter<long> Windows = Meter.CreateCounter<long>(MetricsTelemetryNames.Windows, "{window}", "Closed windows scored, by verdict.");

    public static readonly Counter<long> Evictions = Meter.CreateCounter<long>(MetricsTelemetryNames.Evictions, "{series}", "Series forgotten, by reason.");

    public static readonly UpDownCounter<long> Series = Meter.CreateUpDownCounter<long>(MetricsTelemetryNames.Series, "{series}", "Series tracked.");

    public static readonly Counter<long> ModelTrainings = Meter.CreateCounter<long>(MetricsTelemetryNames.ModelTrainings, "{model}", "Workload PCA models trained.");

    public static readonly Counter<long> ModelTrainingFailures = Meter.CreateCounter<long>(MetricsTelemetryNames.ModelTrainingFailures, "{model}", "Workload PCA trainings ML.NET rejected.");

    public static readonly Histogram<double> ModelTrainingDuration = Meter.CreateHistogram<double>(MetricsTelemetryNames.ModelTrainingDuration, "s", "Time to train one workload PCA model.");

    public static readonly Counter<long> BusinessRecords = Meter.CreateCounter<long>(MetricsTelemetryNames.BusinessRecords, "{record}", "Business records taken in, by outcome.");

    public static readonly Counter<long> Findings = Meter.CreateCounter<long>(MetricsTelemetryNames.Findings, "{finding}", "Findings raised or cleared.");

    public static void Point(string outcome) =>
        Points.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.OutcomeTag, outcome));

    public static void Finding(string detector, bool raised) =>
        Findings.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.DetectorTag, detector), new KeyValuePair<string, object?>(MetricsTelemetryNames.StateTag, raised ? "raised" : "cleared"));
}
