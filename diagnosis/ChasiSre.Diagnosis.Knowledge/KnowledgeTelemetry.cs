using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>The ActivitySource and instruments of the knowledge base.</summary>
internal static class KnowledgeTelemetry
{
    public static readonly ActivitySource Source = new(KnowledgeTelemetryNames.SourceName);

    private static readonly Meter Meter = new(KnowledgeTelemetryNames.SourceName);

    public static readonly Counter<long> Documents = Meter.CreateCounter<long>(KnowledgeTelemetryNames.Documents, "{document}", "Documents processed by outcome.");

    public static readonly Counter<long> ChunksIndexed = Meter.CreateCounter<long>(KnowledgeTelemetryNames.ChunksIndexed, "{chunk}", "Chunks indexed.");

    public static readonly Histogram<double> SearchDuration = Meter.CreateHistogram<double>(KnowledgeTelemetryNames.SearchDuration, "s", "Wall time of a knowledge base search.");
}
