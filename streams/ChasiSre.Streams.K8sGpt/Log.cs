using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>Source-generated log messages of ChasiSre.Streams.K8sGpt (event ids 2300-2399). Analyzer texts are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(2300, LogLevel.Information, "k8sgpt custom analyzer {Analyzer} polled at {Address} every {Interval} (timeout {Timeout})")]
    public static partial void AnalyzerStarted(this ILogger logger, string analyzer, Uri address, TimeSpan interval, TimeSpan timeout);

    [LoggerMessage(2301, LogLevel.Warning, "k8sgpt custom analyzer {Analyzer} failed ({Failures} in a row); next run in {Delay}")]
    public static partial void AnalyzerFailed(this ILogger logger, Exception exception, string analyzer, int failures, TimeSpan delay);

    [LoggerMessage(2302, LogLevel.Information, "k8sgpt custom analyzer {Analyzer} answered again after {Failures} failed runs")]
    public static partial void AnalyzerRecovered(this ILogger logger, string analyzer, int failures);

    [LoggerMessage(2303, LogLevel.Debug, "k8sgpt custom analyzer {Analyzer}: signal {SignalId} {Category} on {SubjectKey} published (active {Active})")]
    public static partial void SignalPublished(this ILogger logger, string analyzer, string signalId, string category, string subjectKey, bool active);

    [LoggerMessage(2304, LogLevel.Information, "k8sgpt custom analyzer {Analyzer} stopped")]
    public static partial void AnalyzerStopped(this ILogger logger, string analyzer);

    [LoggerMessage(2305, LogLevel.Information, "k8sgpt interop: no custom analyzers configured; the poller idles")]
    public static partial void NoAnalyzers(this ILogger logger);
}
