using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>The assembly's ActivitySource, Meter and instruments.</summary>
internal static class EvidenceTelemetry
{
    public static readonly ActivitySource Source = new(EvidenceTelemetryNames.SourceName);
    public static readonly Meter Meter = new(EvidenceTelemetryNames.SourceName);

    public static readonly Histogram<double> LoadDuration = Meter.CreateHistogram<double>(
        EvidenceTelemetryNames.LoadDuration, "s", "Time to load an incident's evidence from ClickHouse.");

    public static readonly Counter<long> RowsLoaded = Meter.CreateCounter<long>(
        EvidenceTelemetryNames.RowsLoaded, "{row}", "Rows loaded from ClickHouse for evidence packs.");

    public static readonly Histogram<int> PackTokens = Meter.CreateHistogram<int>(
        EvidenceTelemetryNames.PackTokens, "{token}", "cl100k tokens of each evidence pack.");

    public static readonly Counter<long> PacksTruncated = Meter.CreateCounter<long>(
        EvidenceTelemetryNames.PacksTruncated, "{pack}", "Evidence packs that dropped or trimmed items for the budget.");
}
