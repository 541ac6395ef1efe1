namespace ChasiSre.Streams.K8sGpt;

/// <summary>Where polling one custom analyzer stands.</summary>
/// <param name="Analyzer">The analyzer's name.</param>
/// <param name="Runs">Runs so far (successful or not).</param>
/// <param name="ConsecutiveFailures">Failed runs since the last success; 0 when healthy.</param>
/// <param name="LastSuccess">When a run last succeeded (the result published); null before the first.</param>
/// <param name="LastError">The last failure's message; null after a success.</param>
/// <param name="NextDelay">The wait before the next run (the interval, or the backoff after a failure).</param>
/// <param name="ActiveSignalId">The signal the analyzer currently reports as active; null when it reports nothing.</param>
public sealed record CustomAnalyzerStatus(
    string Analyzer,
    long Runs,
    int ConsecutiveFailures,
    DateTimeOffset? LastSuccess,
    string? LastError,
    TimeSpan NextDelay,
    string? ActiveSignalId);
