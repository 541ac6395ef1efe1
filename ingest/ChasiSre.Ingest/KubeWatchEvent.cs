using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
/// <param name="Type">The event type as sent.</param>
/// <param name="Value">The object (a <c>Status</c> for ERROR).</param>
public sealed record KubeWatchEvent(string Type, JsonObject Value)
{
    /// <summary>The object's <c>metadata.resourceVersion</c>, if present.</summary>
    public string? ResourceVersion => Value["metadata"]?["resourceVersion"]?.GetValue<string>();

    /// <summary>For an ERROR event: the API error it carries.</summary>
    public KubeApiException ToException()
    {
        var code = Value["code"]?.GetValue<int>() ?? 500;
        return new KubeApiException((HttpStatusCode)code, Value["reason"]?.GetValue<string>() ?? "Unknown", Value["message"]?.GetValue<string>() ?? "watch ERROR event");
    }

    /// <summary>Parses one line; a line that is not a watch event throws <see cref="KubeApiException"/>.</summary>
    public static KubeWatchEvent Parse(string line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw new KubeApiException(HttpStatusCode.BadGateway, "InvalidWatchEvent", $"unparsable watch line: {e.Message}");
        }

        if (node?["type"]?.GetValue<string>() is not { } type || node["object"] is not JsonObject obj)
        {
            throw new KubeApiException(HttpStatusCode.BadGateway, "InvalidWatchEvent", "a watch line without type or object");
        }

        return new KubeWatchEvent(type, obj);
    }
}
