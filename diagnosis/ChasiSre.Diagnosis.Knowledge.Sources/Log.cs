using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>Log messages of the knowledge sources (event ids 7700-7749).</summary>
internal static partial class Log
{
    [LoggerMessage(7700, LogLevel.Information, "Past incidents: {Rows} new rows, {Incidents} incidents, {Indexed} documents indexed, {Unchanged} unchanged, {NotResolved} not resolved, {Undiagnosed} undiagnosed in {ElapsedMilliseconds} ms")]
    public static partial void IncidentsIndexed(this ILogger logger, int rows, int incidents, int indexed, int unchanged, int notResolved, int undiagnosed, double elapsedMilliseconds);

    [LoggerMessage(7701, LogLevel.Warning, "Incident {IncidentId} names an invalid tenant, its document for it is not indexed: {Problem}")]
    public static partial void IncidentTenantInvalid(this ILogger logger, string incidentId, string problem);

    [LoggerMessage(7702, LogLevel.Warning, "Row of {Table} for incident {IncidentId} has an unreadable payload; the incident is not indexed")]
    public static partial void PayloadUnreadable(this ILogger logger, Exception exception, string table, string incidentId);

    [LoggerMessage(7703, LogLevel.Error, "Indexing past incidents failed; the next run repeats it")]
    public static partial void IncidentIndexingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(7710, LogLevel.Information, "Indexing adapter runbooks from {Topic} (group {GroupId})")]
    public static partial void RunbookConsumerStarted(this ILogger logger, string topic, string groupId);

    [LoggerMessage(7711, LogLevel.Information, "Indexed adapter runbook {SourceId}: {Chunks} chunks")]
    public static partial void RunbookIndexed(this ILogger logger, string sourceId, int chunks);

    [LoggerMessage(7712, LogLevel.Debug, "Adapter runbook {SourceId} not re-indexed ({Outcome}) {Reason}")]
    public static partial void RunbookUnchanged(this ILogger logger, string sourceId, string outcome, string reason);

    [LoggerMessage(7713, LogLevel.Information, "Removed adapter runbook {SourceId}: the adapter no longer lists it")]
    public static partial void RunbookRemoved(this ILogger logger, string sourceId);

    [LoggerMessage(7714, LogLevel.Debug, "Adapter runbook {SourceId} of listing {At} is older than listing {Current}: not indexed")]
    public static partial void RunbookStale(this ILogger logger, string sourceId, DateTimeOffset at, DateTimeOffset current);
}
