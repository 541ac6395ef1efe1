using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Detection;

/// <summary>Source-generated log messages of ChasiSre.Streams.Detection (event ids 2000-2099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Detector {Detector} threw on {Cluster}/{Kind}/{Namespace}/{Name}; the other detectors still ran")]
    public static partial void DetectorFailed(ILogger logger, Exception exception, string detector, string cluster, string kind, string @namespace, string name);
}
