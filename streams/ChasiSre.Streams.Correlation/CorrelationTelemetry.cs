using System.Diagnostics.Metrics;

namespace ChasiSre.Streams.Correlation;

/// <summary>The assembly's Meter and instruments.</summary>
internal static class CorrelationTelemetry
{
    public static readonly Meter Meter = new(CorrelationTelemetryNames.SourceName);

    public static readonly Counter<long> IncidentChanges = Meter.CreateCounter<long>(
        CorrelationTelemetryNames.IncidentChanges, "{record}", "Incident records emitted.");

    public static readonly Counter<long> Findings = Meter.CreateCounter<long>(
        CorrelationTelemetryNames.Findings, "{finding}", "Findings evaluated.");

    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        CorrelationTelemetryNames.Duplicates, "{finding}", "Findings that repeated an active signal unchanged.");
}
