using System.Text.Json.Serialization;

namespace ChasiSre.Api;

/// <summary>
/// The body Alertmanager posts to a webhook receiver (payload version 4). Every member is nullable so that a missing
/// field is reported by name rather than defaulted; unknown members are ignored.
/// </summary>
public sealed class AlertmanagerWebhook
{
    /// <summary>Always <c>"4"</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>Identifies the alert group (for deduplication on the receiver's side).</summary>
    [JsonPropertyName("groupKey")]
    public string? GroupKey { get; init; }

    [JsonPropertyName("truncatedAlerts")]
    public int? TruncatedAlerts { get; init; }

    /// <summary><c>firing</c> or <c>resolved</c>: the group's status.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("receiver")]
    public string? Receiver { get; init; }

    [JsonPropertyName("groupLabels")]
    public Dictionary<string, string?>? GroupLabels { get; init; }

    [JsonPropertyName("commonLabels")]
    public Dictionary<string, string?>? CommonLabels { get; init; }

    [JsonPropertyName("commonAnnotations")]
    public Dictionary<string, string?>? CommonAnnotations { get; init; }

    [JsonPropertyName("externalURL")]
    public string? ExternalUrl { get; init; }

    [JsonPropertyName("alerts")]
    public List<AlertmanagerAlert?>? Alerts { get; init; }
}
