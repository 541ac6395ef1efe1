using System.Text.Json.Serialization;

namespace ChasiSre.Api;

/// <summary>One alert of an <see cref="AlertmanagerWebhook"/>.</summary>
public sealed class AlertmanagerAlert
{
    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>The alert's labels; <c>alertname</c> is required.</summary>
    [JsonPropertyName("labels")]
    public Dictionary<string, string?>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string?>? Annotations { get; init; }

    /// <summary>RFC 3339.</summary>
    [JsonPropertyName("startsAt")]
    public string? StartsAt { get; init; }

    /// <summary>RFC 3339; <c>0001-01-01T00:00:00Z</c> while unknown.</summary>
    [JsonPropertyName("endsAt")]
    public string? EndsAt { get; init; }

    [JsonPropertyName("generatorURL")]
    public string? GeneratorUrl { get; init; }

    /// <summary>Alertmanager's hash of the labels.</summary>
    [JsonPropertyName("fingerprint")]
    public string? Fingerprint { get; init; }
}
