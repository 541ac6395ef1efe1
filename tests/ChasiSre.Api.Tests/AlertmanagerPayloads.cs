using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Api.Tests;

/// <summary>Alertmanager webhook bodies as Alertmanager writes them (payload version 4).</summary>
internal static class AlertmanagerPayloads
{
    public static JsonObject Alert(string status, string fingerprint, string startsAt, IReadOnlyDictionary<string, string> labels, string? endsAt = null, string? summary = null)
    {
        var alert = new JsonObject
        {
            ["status"] = status,
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            ["annotations"] = summary is null ? new JsonObject() : new JsonObject { ["summary"] = summary, ["runbook_url"] = "https://runbooks.example/x" },
            ["startsAt"] = startsAt,
            ["endsAt"] = endsAt ?? "0001-01-01T00:00:00Z",
            ["generatorURL"] = "http://prometheus:9090/graph?g0.expr=up",
            ["fingerprint"] = fingerprint,
        };
        return alert;
    }

    public static string Webhook(params JsonObject[] alerts) => new JsonObject
    {
        ["version"] = "4",
        ["groupKey"] = "{}:{alertname=\"KubePodCrashLooping\"}",
        ["truncatedAlerts"] = 0,
        ["status"] = alerts.Any(a => (string?)a["status"] == "firing") ? "firing" : "resolved",
        ["receiver"] = "chasi",
        ["groupLabels"] = new JsonObject { ["alertname"] = "KubePodCrashLooping" },
        ["commonLabels"] = new JsonObject(),
        ["commonAnnotations"] = new JsonObject(),
        ["externalURL"] = "http://alertmanager:9093",
        ["alerts"] = new JsonArray([.. alerts]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>A fingerprint unique to the calling test (16 hex digits, like Alertmanager's).</summary>
    public static string Fingerprint() => Guid.NewGuid().ToString("N")[..16];

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
