using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>Source-generated log methods of the diagnosis engine (event ids 7200-7299).</summary>
internal static partial class Log
{
    [LoggerMessage(7200, LogLevel.Information, "Incident {IncidentId} rev {Revision} diagnosed by {Engine} in {Elapsed} ({LlmCalls} LLM call(s), confidence {Confidence:0.00})")]
    public static partial void Diagnosed(this ILogger logger, string incidentId, long revision, string engine, TimeSpan elapsed, int llmCalls, double confidence);

    [LoggerMessage(7201, LogLevel.Warning, "Incident {IncidentId}: the model's answer was invalid ({Errors}); asking once more with the errors")]
    public static partial void RepairRound(this ILogger logger, string incidentId, string errors);

    [LoggerMessage(7202, LogLevel.Warning, "Incident {IncidentId}: the model's repaired answer was still invalid ({Errors}); using the rule-based diagnosis")]
    public static partial void StillInvalid(this ILogger logger, string incidentId, string errors);

    [LoggerMessage(7203, LogLevel.Warning, "Incident {IncidentId}: the LLM call failed; using the rule-based diagnosis")]
    public static partial void LlmFailed(this ILogger logger, Exception exception, string incidentId);

    [LoggerMessage(7204, LogLevel.Warning, "Incident {IncidentId}: knowledge retrieval failed; diagnosing without runbooks")]
    public static partial void RetrievalFailed(this ILogger logger, Exception exception, string incidentId);

    [LoggerMessage(7205, LogLevel.Debug, "Incident {IncidentId} rev {Revision} skipped: {Reason}")]
    public static partial void Skipped(this ILogger logger, string incidentId, long revision, string reason);

    [LoggerMessage(7206, LogLevel.Information, "Diagnosis consumer started on {Topic} (group {GroupId})")]
    public static partial void ConsumerStarted(this ILogger logger, string topic, string groupId);
}
