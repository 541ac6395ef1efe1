using ChasiSre.Schemas;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>
/// <c>POST /api/v1/alerts/alertmanager</c>: Alertmanager's webhook. 202 once every alert is a signal in
/// <c>chasi.alerts.v1</c>; 400 (naming the fields) for a body that is not a valid v4 payload, 403 for an alert outside
/// the token's tenants, 413 over the body limit: all refuse the whole body and publish nothing. 503 when Kafka did not
/// acknowledge (Alertmanager retries; the signal ids are stable, so a retry does not duplicate an alert).
/// </summary>
internal static class AlertmanagerEndpoints
{
    public static async Task<IResult> ReceiveAsync(
        HttpContext context,
        AlertPublisher publisher,
        IOptions<ApiOptions> options,
        TimeProvider time,
        ILogger<AlertPublisher> logger)
    {
        var api = options.Value;
        var token = ScopeCheck.TokenName(context.User);
        if (context.Request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"Content-Type '{contentType}' is not application/json");
        }

        var body = await RequestBodies.ReadAsync(context, api.MaxRequestBodyBytes);
        if (body is null)
        {
            Log.BodyTooLarge(logger, api.MaxRequestBodyBytes, context.Request.Path);
            ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "too_large"));
            return ApiProblems.TooLarge(api.MaxRequestBodyBytes);
        }

        var outcome = AlertmanagerIntake.Read(body, api.Alertmanager, ApiClaims.Scope(context.User), time.GetUtcNow());
        switch (outcome)
        {
            case AlertIntakeOutcome.Invalid invalid:
                var first = invalid.Errors.First();
                Log.AlertPayloadRejected(logger, token, first.Key, first.Value[0]);
                ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "invalid_payload"));
                return ApiProblems.Invalid("Invalid Alertmanager payload", invalid.Errors);

            case AlertIntakeOutcome.OutOfScope outOfScope:
                Log.OutOfScope(logger, token, outOfScope.Field, context.Request.Path);
                ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "out_of_scope"));
                return ApiProblems.Forbidden(outOfScope.Detail);

            case AlertIntakeOutcome.Accepted accepted:
                try
                {
                    await publisher.PublishAsync(accepted.Signals, context.RequestAborted);
                }
                catch (KafkaException e)
                {
                    Log.AlertPublishFailed(logger, e, accepted.Signals.Count, TopicCatalog.Alerts.Name);
                    return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", $"Kafka did not acknowledge the signals: {e.Error.Reason}; retry");
                }

                ApiTelemetry.AlertsReceived.Add(accepted.Firing, new KeyValuePair<string, object?>("status", "firing"));
                ApiTelemetry.AlertsReceived.Add(accepted.Resolved, new KeyValuePair<string, object?>("status", "resolved"));
                Log.AlertsPublished(logger, accepted.GroupKey, accepted.Receiver, accepted.Signals.Count, TopicCatalog.Alerts.Name);
                return TypedResults.Accepted((string?)null, new AlertIntakeResponse(accepted.Signals.Count, TopicCatalog.Alerts.Name, [.. accepted.Signals.Select(s => s.Signal.Id)]));

            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }
}
