namespace ChasiSre.Api;

/// <summary>Names of the API's meter and instruments (dashboards depend on them).</summary>
public static class ApiTelemetryNames
{
    public const string Meter = "ChasiSre.Api";

    public const string AlertsReceived = "chasisre.api.alerts.received";

    public const string SignalsPublished = "chasisre.api.signals.published";

    public const string RequestsRejected = "chasisre.api.requests.rejected";

    public const string ActionDecisions = "chasisre.api.action_decisions";
}
