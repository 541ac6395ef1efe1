using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;

namespace ChasiSre.Streams.Pipeline;

internal static partial class Log
{
    [LoggerMessage(EventId = 6400, Level = LogLevel.Warning, Message = "Detection input {Topic}[{Partition}]@{Offset} rejected: {Reason}")]
    public static partial void DetectionInputRejected(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "Stored detection input {Key} could not be restored: {Reason}")]
    public static partial void RestoreSkipped(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Detection state restored: {Records} records of {Fleets} fleets")]
    public static partial void Restored(ILogger logger, int records, int fleets);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Warning, Message = "Dead-lettering {Topic}[{Partition}]@{Offset} ({Kind}): {Reason}")]
    public static partial void DeadLettering(ILogger logger, string topic, int partition, long offset, string kind, string reason);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Error, Message = "Dead letter of {Topic}[{Partition}]@{Offset} could not be written: {Reason}")]
    public static partial void DeadLetterFailed(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Information, Message = "Detection topology {ApplicationId} state {From} -> {To}")]
    public static partial void StateChanged(ILogger logger, string applicationId, KafkaStream.State from, KafkaStream.State to);
}
