using System.Diagnostics.Metrics;

namespace ChasiSre.Api;

/// <summary>The Meter of the API (named after the assembly) and its instruments; the names are <see cref="ApiTelemetryNames"/>.</summary>
internal static class ApiTelemetry
{
    public static readonly Meter Meter = new(ApiTelemetryNames.Meter);

    public static readonly Counter<long> AlertsReceived = Meter.CreateCounter<long>(ApiTelemetryNames.AlertsReceived, "{alert}", "Alertmanager alerts accepted by the webhook, by status (firing, resolved).");

    public static readonly Counter<long> SignalsPublished = Meter.CreateCounter<long>(ApiTelemetryNames.SignalsPublished, "{signal}", "Signals published to chasi.alerts.v1.");

    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>(ApiTelemetryNames.RequestsRejected, "{request}", "Requests refused, by reason (unauthenticated, out_of_scope, rate_limit, too_large, invalid_payload).");

    public static readonly Counter<long> ActionDecisions = Meter.CreateCounter<long>(ApiTelemetryNames.ActionDecisions, "{decision}", "Decisions on actions published to chasi.actions.v1, by phase (approved, rejected, rollback_requested).");
}
