using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Streams.Pipeline;

/// <summary>What every detection task shares: settings, the clock, the detectors, logging and the progress counters.</summary>
/// <param name="Options">Stage settings.</param>
/// <param name="Correlation">Correlation settings.</param>
/// <param name="Time">The clock detectors judge against: the system clock in production, a scenario's clock in a replay.</param>
/// <param name="Detectors">Creates the detectors of one task.</param>
/// <param name="Progress">Counters.</param>
/// <param name="LoggerFactory">Logging.</param>
public sealed record DetectionRuntime(
    StreamsOptions Options,
    CorrelationOptions Correlation,
    TimeProvider Time,
    Func<IEnumerable<IDetector>> Detectors,
    DetectionProgress Progress,
    ILoggerFactory LoggerFactory)
{
    /// <summary>Where unreadable records go; null to only count and log them (tests of the topology alone).</summary>
    public DetectionDeadLetters? DeadLetters { get; init; }

    /// <summary>
    /// When true the punctuator flushes only after <see cref="DetectionProgress.RequestFlush"/> (deterministic replays
    /// with one partition); otherwise every <see cref="StreamsOptions.FlushInterval"/>.
    /// </summary>
    public bool FlushOnRequest { get; init; }

    /// <summary>The incident detectors of <see cref="DetectorCatalog.Incidents"/> on the system clock, without logging.</summary>
    public static DetectionRuntime Default(StreamsOptions? options = null, CorrelationOptions? correlation = null, TimeProvider? time = null) =>
        new(options ?? new StreamsOptions(), correlation ?? new CorrelationOptions(), time ?? TimeProvider.System, DetectorCatalog.Incidents, new DetectionProgress(), NullLoggerFactory.Instance);
}
