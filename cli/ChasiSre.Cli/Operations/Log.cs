using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli;

/// <summary>Source-generated log messages of <c>chasi replay</c> (event ids 4140-4159).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4140, Level = LogLevel.Information, Message = "Replay {ReplayId}: read {Objects} object versions ({Initial} at the start), {Events} events and {Logs} log lines of {From} to {To} in {Batches} steps")]
    public static partial void ReplayRead(ILogger logger, string replayId, int objects, int initial, int events, int logs, DateTimeOffset from, DateTimeOffset to, int batches);

    [LoggerMessage(EventId = 4141, Level = LogLevel.Information, Message = "Replay {ReplayId}: the detection topology produced {Incidents} incidents; production opened {Production} in the window")]
    public static partial void ReplayDetected(ILogger logger, string replayId, int incidents, int production);

    [LoggerMessage(EventId = 4142, Level = LogLevel.Information, Message = "Replay {ReplayId}: wrote {Incidents} incidents and {Diagnoses} diagnoses into {Database}")]
    public static partial void ReplayWritten(ILogger logger, string replayId, int incidents, int diagnoses, string database);
}
