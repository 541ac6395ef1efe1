using System.Diagnostics.Metrics;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>The k8sgpt interop's meter and instruments.</summary>
internal static class K8sGptTelemetry
{
    public static readonly Meter Meter = new(K8sGptTelemetryNames.SourceName);

    public static readonly Counter<long> Runs = Meter.CreateCounter<long>(K8sGptTelemetryNames.Runs, "{run}", "Custom analyzer runs.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(K8sGptTelemetryNames.RunDuration, "s", "Duration of custom analyzer runs.");

    public static readonly Counter<long> Signals = Meter.CreateCounter<long>(K8sGptTelemetryNames.Signals, "{signal}", "Signals published from custom analyzers.");
}
