using System.Diagnostics.Metrics;

namespace ChasiSre.Streams.Store;

/// <summary>Meter and instrument names of the sink (dashboards depend on them).</summary>
public static class StoreTelemetry
{
    public const string MeterName = "ChasiSre.Streams.Store";
    public const string RowsWritten = "chasisre.store.rows_written";
    public const string WriteFailures = "chasisre.store.write_failures";
    public const string BatchRows = "chasisre.store.batch.rows";
    public const string WriteDuration = "chasisre.store.write.duration";

    /// <summary>The instrument names, for the metric-name list.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } = [RowsWritten, WriteFailures, BatchRows, WriteDuration];

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Written = Meter.CreateCounter<long>(RowsWritten, "{row}", "Rows written to ClickHouse");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>(WriteFailures, "{batch}", "Batch writes that failed (the rows are retried)");

    internal static readonly Histogram<long> Batch = Meter.CreateHistogram<long>(BatchRows, "{row}", "Rows per batch write");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(WriteDuration, "s", "Duration of one batch write");
}
