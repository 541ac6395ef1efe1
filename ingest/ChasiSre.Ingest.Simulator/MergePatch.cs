using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>): objects merge recursively, null deletes, anything else replaces.</summary>
internal static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var current);
            var merged = Apply(current, value);
            result[key] = merged;
        }

        return result;
    }
}
