using Microsoft.Extensions.Logging;

namespace ChasiSre.Api;

/// <summary>Source-generated log methods of the API (event ids 7800-7899; actions and the web view 7850-7899).</summary>
internal static partial class Log
{
    [LoggerMessage(7800, LogLevel.Information, "API token rejected from {Address} on {Path}")]
    public static partial void TokenRejected(ILogger logger, string address, string path);

    [LoggerMessage(7801, LogLevel.Warning, "Rate limit of {Who} exceeded on {Path}; retry after {Seconds} s")]
    public static partial void RateLimited(ILogger logger, string who, string path, int seconds);

    [LoggerMessage(7802, LogLevel.Information, "Token {Token} refused: tenant {Tenant} is outside its scope ({Path})")]
    public static partial void OutOfScope(ILogger logger, string token, string tenant, string path);

    [LoggerMessage(7803, LogLevel.Information, "Alertmanager payload from token {Token} refused: {Field}: {Reason}")]
    public static partial void AlertPayloadRejected(ILogger logger, string token, string field, string reason);

    [LoggerMessage(7804, LogLevel.Information, "Alertmanager group {GroupKey} from receiver {Receiver}: {Count} alerts published to {Topic}")]
    public static partial void AlertsPublished(ILogger logger, string groupKey, string receiver, int count, string topic);

    [LoggerMessage(7805, LogLevel.Error, "Publishing {Count} Alertmanager alerts to {Topic} failed; answered 503 so Alertmanager retries")]
    public static partial void AlertPublishFailed(ILogger logger, Exception exception, int count, string topic);

    [LoggerMessage(7806, LogLevel.Error, "The analytics store failed on {Path}; answered 503")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(7808, LogLevel.Information, "Request body over {Limit} bytes refused on {Path}")]
    public static partial void BodyTooLarge(ILogger logger, long limit, string path);

    [LoggerMessage(7809, LogLevel.Error, "{Method} {Path} failed; answered 500")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(7850, LogLevel.Information, "Token {Token}: {Phase} of action {ActionId} requested on {Topic} for the executor")]
    public static partial void ActionDecided(ILogger logger, string token, string phase, string actionId, string topic);

    [LoggerMessage(7851, LogLevel.Information, "Token {Token}: {Phase} of action {ActionId} repeated; answered the request of {At} again, published nothing")]
    public static partial void ActionDecisionRepeated(ILogger logger, string token, string phase, string actionId, DateTimeOffset at);

    [LoggerMessage(7852, LogLevel.Information, "Token {Token}: {Phase} of action {ActionId} refused, the action is {Current} (or a request waits for the executor)")]
    public static partial void ActionDecisionRefused(ILogger logger, string token, string phase, string actionId, string current);

    [LoggerMessage(7853, LogLevel.Information, "Token {Token} without the approver role refused on {Path}")]
    public static partial void NotApprover(ILogger logger, string token, string path);

    [LoggerMessage(7854, LogLevel.Error, "Publishing the {Phase} of action {ActionId} to {Topic} failed; answered 503")]
    public static partial void ActionDecisionPublishFailed(ILogger logger, Exception exception, string phase, string actionId, string topic);
}
