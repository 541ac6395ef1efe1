using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Ingest.Gateway;

/// <summary>The assembly's ActivitySource, Meter and instruments (names are a contract for dashboards).</summary>
public static class GatewayTelemetry
{
    public const string Name = "ChasiSre.Ingest.Gateway";

    /// <summary>The producing component written into every record's source header and dead letter.</summary>
    public const string Component = "ingest/gateway";

    public const string PollsName = "chasisre.gateway.polls";
    public const string PollDurationName = "chasisre.gateway.poll.duration";
    public const string PollLagName = "chasisre.gateway.poll.lag";
    public const string SkippedName = "chasisre.gateway.polls.skipped";
    public const string CallsName = "chasisre.gateway.calls";
    public const string PublishedName = "chasisre.gateway.published";
    public const string DeadLetteredName = "chasisre.gateway.dead_lettered";
    public const string AdaptersName = "chasisre.gateway.adapters";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Polls = Meter.CreateCounter<long>(
        PollsName, "{poll}", "Polls finished, by result (ok, failed, publish_failed).");

    internal static readonly Histogram<double> PollDuration = Meter.CreateHistogram<double>(
        PollDurationName, "s", "Duration of one poll (every call and the publish).");

    internal static readonly Histogram<double> PollLag = Meter.CreateHistogram<double>(
        PollLagName, "s", "How late a poll started after it was due.");

    internal static readonly Counter<long> Skipped = Meter.CreateCounter<long>(
        SkippedName, "{poll}", "Due polls not run, by reason (breaker_open, still_running).");

    internal static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        CallsName, "{call}", "Adapter calls, by operation, transport and code.");

    internal static readonly Counter<long> Published = Meter.CreateCounter<long>(
        PublishedName, "{record}", "Records acknowledged by the broker, by topic.");

    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        DeadLetteredName, "{record}", "Adapter output sent to the dead-letter topic, by kind.");

    internal static readonly UpDownCounter<long> Adapters = Meter.CreateUpDownCounter<long>(
        AdaptersName, "{adapter}", "Adapters discovered and scheduled.");
}
