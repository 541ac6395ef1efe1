using System.Net;
using System.Text.Json;

namespace ChasiSre.Ingest;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR. The object lives in the parsed line until disposed.</summary>
public sealed class KubeWatchEvent : IDisposable
{
    private readonly JsonDocument document;

    private KubeWatchEvent(JsonDocument document, string type, JsonElement value)
    {
        this.document = document;
        Type = type;
        Value = value;
    }

    /// <summary>The event type as sent.</summary>
    public string Type { get; }

    /// <summary>The object (a <c>Status</c> for ERROR). Valid until disposed.</summary>
    public JsonElement Value { get; }

    /// <summary>The object's <c>metadata.resourceVersion</c>, if present.</summary>
    public string? ResourceVersion => Value.Get("metadata").Text("resourceVersion");

    /// <summary>For an ERROR event: the API error it carries.</summary>
    public KubeApiException ToException() =>
        new((HttpStatusCode)(((JsonElement?)Value).Get("code").Int() ?? 500), Value.Text("reason") ?? "Unknown", Value.Text("message") ?? "watch ERROR event");

    /// <summary>Parses one line; a line that is not a watch event throws <see cref="KubeApiException"/>.</summary>
    public static KubeWatchEvent Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new KubeApiException(HttpStatusCode.BadGateway, "InvalidWatchEvent", $"unparsable watch line: {e.Message}");
        }

        var root = document.RootElement;
        if (root.Text("type") is not { } type || root.Get("object") is not { ValueKind: JsonValueKind.Object } value)
        {
            document.Dispose();
            throw new KubeApiException(HttpStatusCode.BadGateway, "InvalidWatchEvent", "a watch line without type or object");
        }

        return new KubeWatchEvent(document, type, value);
    }

    /// <inheritdoc />
    public void Dispose() => document.Dispose();
}
