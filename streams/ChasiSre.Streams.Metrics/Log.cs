using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Metrics;

/// <summary>Source-generated log methods of the telemetry monitors (event ids 7400-7499).</summary>
internal static partial class Log
{
    [LoggerMessage(7400, LogLevel.Information, "Metric anomaly on {Series}: {Value} outside {Low}..{High} in the window from {Start:O}")]
    public static partial void MetricAnomalyRaised(this ILogger logger, string series, double value, double low, double high, DateTimeOffset start);

    [LoggerMessage(7401, LogLevel.Information, "Metric anomaly on {Series} cleared")]
    public static partial void MetricAnomalyCleared(this ILogger logger, string series);

    [LoggerMessage(7402, LogLevel.Debug, "Late point of {Series} at {At:O} dropped: windows up to {ClosedUntil:O} are closed")]
    public static partial void LatePoint(this ILogger logger, string series, DateTimeOffset at, DateTimeOffset closedUntil);

    [LoggerMessage(7403, LogLevel.Debug, "Series {Series} forgotten ({Reason})")]
    public static partial void SeriesEvicted(this ILogger logger, string series, string reason);

    [LoggerMessage(7404, LogLevel.Debug, "Series {Series} has no subject: it is scored but cannot raise findings")]
    public static partial void SeriesWithoutSubject(this ILogger logger, string series);

    [LoggerMessage(7410, LogLevel.Debug, "Workload {Workload}: PCA model v{Version} trained on {Windows} windows, threshold {Threshold}")]
    public static partial void ModelTrained(this ILogger logger, string workload, int version, int windows, double threshold);

    [LoggerMessage(7411, LogLevel.Information, "Workload anomaly on {Workload}: PCA score {Score} above {Threshold} (model v{Version})")]
    public static partial void WorkloadAnomalyRaised(this ILogger logger, string workload, double score, double threshold, int version);

    [LoggerMessage(7412, LogLevel.Information, "Workload anomaly on {Workload} cleared")]
    public static partial void WorkloadAnomalyCleared(this ILogger logger, string workload);

    [LoggerMessage(7420, LogLevel.Information, "Business adapter {Adapter} degraded ({Reason})")]
    public static partial void BusinessDegradationRaised(this ILogger logger, string adapter, string reason);

    [LoggerMessage(7421, LogLevel.Information, "Business adapter {Adapter} recovered")]
    public static partial void BusinessDegradationCleared(this ILogger logger, string adapter);

    [LoggerMessage(7413, LogLevel.Warning, "Workload {Workload}: PCA training on {Windows} windows failed; the previous model (if any) stays")]
    public static partial void ModelTrainingFailed(this ILogger logger, Exception exception, string workload, int windows);
}
