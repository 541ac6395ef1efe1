using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ChasiSre.Sdk;

/// <summary>The SDK's ActivitySource, Meter and instruments (names are a contract for dashboards).</summary>
internal static class SdkTelemetry
{
    public const string Name = "ChasiSre.Sdk";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Version reported in <c>GetStatusResponse.sdk_version</c>.</summary>
    public static readonly string Version =
        typeof(SdkTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "chasisre.sdk.requests", "{request}", "Pull-mode calls by operation, transport and status code.");

    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "chasisre.sdk.request.duration", "s", "Time to answer a pull-mode call.");

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "chasisre.sdk.publisher.published", "{record}", "Records the push publisher delivered to Kafka.");

    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "chasisre.sdk.publisher.dropped", "{record}", "Records the push publisher dropped (queue full, oversized, undeliverable).");

    public static readonly Counter<long> FailedBatches = Meter.CreateCounter<long>(
        "chasisre.sdk.publisher.failed_batches", "{batch}", "Batch attempts that failed.");
}
