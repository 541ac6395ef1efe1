using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Source-generated log methods of the evidence stage (event ids 7100-7199).</summary>
internal static partial class Log
{
    [LoggerMessage(7100, LogLevel.Debug, "Evidence of incident {IncidentId} loaded in {Elapsed}: {Objects} object(s), {Events} event(s), {Logs} log line(s), {Signals} signal(s)")]
    public static partial void EvidenceLoaded(this ILogger logger, string incidentId, TimeSpan elapsed, int objects, int events, int logs, int signals);

    [LoggerMessage(7101, LogLevel.Warning, "Evidence of incident {IncidentId}: a {Table} row's payload could not be read and was left out")]
    public static partial void UnreadablePayload(this ILogger logger, Exception exception, string incidentId, string table);

    [LoggerMessage(7102, LogLevel.Warning, "Evidence of incident {IncidentId}: {Skipped} related object(s) of tenants outside the incident were not loaded")]
    public static partial void OutOfScopeReferences(this ILogger logger, string incidentId, int skipped);

    [LoggerMessage(7103, LogLevel.Debug, "Evidence of incident {IncidentId} has no related objects to load")]
    public static partial void NothingRelated(this ILogger logger, string incidentId);
}
