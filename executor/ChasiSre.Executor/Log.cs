using Microsoft.Extensions.Logging;

namespace ChasiSre.Executor;

/// <summary>Source-generated log methods of the executor (policy 7950-7999; flow 1510-1599).</summary>
internal static partial class Log
{
    [LoggerMessage(7950, LogLevel.Information, "Action policy '{Name}' loaded from {File}: {Rules} rules, {Windows} freeze windows")]
    public static partial void PolicyLoaded(this ILogger logger, string name, string file, int rules, int windows);

    [LoggerMessage(7951, LogLevel.Warning, "No action policy file configured ({Section}:PolicyFile): every tenant action needs approval and every host action is denied")]
    public static partial void DefaultPolicy(this ILogger logger, string section);

    [LoggerMessage(7952, LogLevel.Error, "Action policy file {File} changed but does not load; policy '{InForce}' stays in force: {Errors}")]
    public static partial void PolicyRejected(this ILogger logger, string file, string inForce, string errors);

    [LoggerMessage(7953, LogLevel.Warning, "Action policy file {File} is gone: the default policy is in force (every tenant action needs approval, every host action is denied)")]
    public static partial void PolicyFileGone(this ILogger logger, string file);

    [LoggerMessage(7954, LogLevel.Warning, "Action policy file {File} could not be read ({Error}); the policy in force stays")]
    public static partial void PolicyFileUnreadable(this ILogger logger, string file, string error);

    [LoggerMessage(1510, LogLevel.Information, "Action {ActionId} ({Action} on {Target}) is {Phase}: {Reason}")]
    public static partial void ActionPhase(this ILogger logger, string actionId, string action, string target, string phase, string reason);

    [LoggerMessage(1511, LogLevel.Debug, "Remediation {Key} is action {ActionId} already ({Phase}): not proposed again")]
    public static partial void DuplicateProposal(this ILogger logger, string key, string actionId, string phase);

    [LoggerMessage(1512, LogLevel.Warning, "Request {Phase} by {Actor} for action {ActionId} refused: {Problem}")]
    public static partial void RequestRefused(this ILogger logger, string phase, string actor, string actionId, string problem);

    [LoggerMessage(1513, LogLevel.Warning, "Request {Phase} by {Actor} names unknown action {ActionId}: ignored")]
    public static partial void UnknownAction(this ILogger logger, string phase, string actor, string actionId);

    [LoggerMessage(1514, LogLevel.Warning, "Event {Reason} on {Target} for action {ActionId} could not be written")]
    public static partial void EventFailed(this ILogger logger, string reason, string target, string actionId, Exception exception);

    [LoggerMessage(1515, LogLevel.Information, "Ledger rebuilt from {Topic}: {Records} records, {Actions} actions, {InFlight} in flight")]
    public static partial void LedgerRebuilt(this ILogger logger, string topic, int records, int actions, int inFlight);

    [LoggerMessage(1516, LogLevel.Information, "Diagnosis of incident {IncidentId} waits for the incident record (not seen yet)")]
    public static partial void IncidentNotSeen(this ILogger logger, string incidentId);

    [LoggerMessage(1517, LogLevel.Debug, "Diagnosis of incident {IncidentId} skipped: {Reason}")]
    public static partial void DiagnosisSkipped(this ILogger logger, string incidentId, string reason);

    [LoggerMessage(1518, LogLevel.Warning, "Action {ActionId}: write conflict on {Target}, re-reading and retrying once")]
    public static partial void Conflict(this ILogger logger, string actionId, string target);

    [LoggerMessage(1521, LogLevel.Information, "Evicted {Actions} settled actions and {Incidents} resolved incidents unchanged for {Retention}; {ActionsKept} actions and {IncidentsKept} incidents kept")]
    public static partial void Evicted(this ILogger logger, int actions, int incidents, TimeSpan retention, int actionsKept, int incidentsKept);

    [LoggerMessage(1519, LogLevel.Information, "Executor started: consuming {Topics} in groups {GroupId}.*")]
    public static partial void Started(this ILogger logger, string topics, string groupId);
}
