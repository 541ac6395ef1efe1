using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Correlation;

/// <summary>Source-generated log methods of correlation (event ids 2100-2199).</summary>
internal static partial class Log
{
    [LoggerMessage(2100, LogLevel.Information, "Incident {Id} opened: {Category} on {Root} ({Layer}), tenants [{Tenants}]")]
    public static partial void IncidentOpened(this ILogger logger, string id, string category, string root, string layer, string tenants);

    [LoggerMessage(2101, LogLevel.Debug, "Incident {Id} updated to revision {Revision}: {Category}, {Severity}, {Signals} signals")]
    public static partial void IncidentUpdated(this ILogger logger, string id, long revision, string category, string severity, int signals);

    [LoggerMessage(2102, LogLevel.Information, "Incident {Id} resolved: no finding on {Root} since {QuietSince:O}")]
    public static partial void IncidentResolved(this ILogger logger, string id, string root, DateTimeOffset quietSince);

    [LoggerMessage(2103, LogLevel.Information, "Incident {Id} reopened: {Root} fired again {Since} after it cleared")]
    public static partial void IncidentReopened(this ILogger logger, string id, string root, TimeSpan since);

    [LoggerMessage(2104, LogLevel.Debug, "Incident {Id} forgotten: resolved longer than the reopen window ago")]
    public static partial void IncidentForgotten(this ILogger logger, string id);

    [LoggerMessage(2106, LogLevel.Debug, "Candidate incident on {Root} dropped before it was published: its findings cleared or moved to the incident that explains them")]
    public static partial void CandidateDropped(this ILogger logger, string root);

    [LoggerMessage(2105, LogLevel.Debug, "State time went back from {Previous:O} to {Now:O}; correlating at {Previous:O}")]
    public static partial void TimeWentBack(this ILogger logger, DateTimeOffset previous, DateTimeOffset now);
}
