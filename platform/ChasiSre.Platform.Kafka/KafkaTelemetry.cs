using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Platform.Kafka;

/// <summary>The assembly's ActivitySource, Meter and instruments (names are a contract for dashboards).</summary>
internal static class KafkaTelemetry
{
    public const string Name = "ChasiSre.Platform.Kafka";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>(
        "chasisre.kafka.consumed", "{record}", "Records handled successfully.");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "chasisre.kafka.dead_lettered", "{record}", "Records sent to the dead-letter topic.");

    public static readonly Counter<long> HandlerRetries = Meter.CreateCounter<long>(
        "chasisre.kafka.handler.retries", "{attempt}", "Handler attempts that failed and were retried.");

    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>(
        "chasisre.kafka.handler.duration", "s", "Time spent in the record handler.");
}
