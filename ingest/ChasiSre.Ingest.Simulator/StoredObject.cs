using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// One immutable version of an object as the store holds it: the JSON tree (never mutated
/// after it is stored) and its UTF-8 serialization, written once and reused by every list,
/// get and watch that serves it.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(ResourceType type, JsonObject obj, long resourceVersion)
    {
        Type = type;
        Materialize(obj);
        Object = obj;
        ResourceVersion = resourceVersion;
        var metadata = (JsonObject)obj["metadata"]!;
        Name = (string)metadata["name"]!;
        Namespace = (string?)metadata["namespace"];
        Labels = metadata["labels"] as JsonObject;
        Json = SimulatorJson.ToUtf8Bytes(obj);
    }

    /// <summary>The storage resource (for Events: core/v1).</summary>
    public ResourceType Type { get; }

    public JsonObject Object { get; }

    public byte[] Json { get; }

    public long ResourceVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public JsonObject? Labels { get; }

    public JsonObject Metadata => (JsonObject)Object["metadata"]!;

    /// <summary>
    /// Parsed JSON nodes build their children lazily on first access; doing it once here,
    /// before the object is shared, keeps later concurrent reads free of writes.
    /// </summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
            default:
                break;
        }
    }
}
