using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), as kubectl's <c>apply</c>,
/// <c>rollout restart</c>, <c>cordon</c> and <c>scale</c> send it: maps merge recursively and null deletes
/// (as in a merge patch); lists whose Kubernetes field declares a merge key merge element by element on that
/// key; <c>finalizers</c> merge as a set; every other list is replaced. The directives <c>$patch</c>
/// (<c>replace</c>, <c>delete</c>, <c>merge</c>), <c>$retainKeys</c>, <c>$setElementOrder/&lt;field&gt;</c> and
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c> are honoured.
/// </summary>
/// <remarks>
/// Approximation: the real apiserver takes the merge key from the Go type of each field; here it comes from the
/// field name alone (<see cref="MergeKeys"/>), which is the same for every built-in type except <c>ports</c>
/// (container ports merge on <c>containerPort</c>, service ports on <c>port</c>: told apart by which key the
/// elements carry). Lists the table does not name (tolerations, args, command, taints, ...) are replaced, which is
/// also what the apiserver does for them.
/// </remarks>
internal static class StrategicMergePatch
{
    /// <summary>Field name → the key its elements merge on (from the <c>patchMergeKey</c> tags of the core and apps types).</summary>
    internal static readonly IReadOnlyDictionary<string, string> MergeKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["imagePullSecrets"] = "name",
        ["resourceClaims"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["addresses"] = "type",
        ["ownerReferences"] = "uid",
        ["topologySpreadConstraints"] = "topologyKey",
        ["ports"] = "containerPort",
    };

    private static readonly HashSet<string> PrimitiveSets = new(StringComparer.Ordinal) { "finalizers" };

    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("a strategic merge patch must be a JSON object");
        }

        return MergeObject(target as JsonObject, patchObject);
    }

    private static JsonObject MergeObject(JsonObject? original, JsonObject patch)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "replace")
        {
            return Clean(patch);
        }

        if (directive is not (null or "merge"))
        {
            throw new PatchException($"Unknown patch type: {directive}");
        }

        var result = original?.DeepClone().AsObject() ?? new JsonObject();
        var orders = new List<(string Field, JsonArray Order)>();
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys")
            {
                continue;
            }

            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                orders.Add((key[SetElementOrder.Length..], value as JsonArray ?? throw new PatchException($"{key} must be a list")));
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    for (var i = list.Count - 1; i >= 0; i--)
                    {
                        if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
                        {
                            list.RemoveAt(i);
                        }
                    }
                }

                continue;
            }

            result.TryGetPropertyValue(key, out var current);
            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject o when o["$patch"]?.GetValue<string>() == "delete":
                    result.Remove(key);
                    break;
                case JsonObject o:
                    result[key] = MergeObject(current as JsonObject, o);
                    break;
                case JsonArray a:
                    result[key] = MergeList(key, current as JsonArray, a);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (field, order) in orders)
        {
            if (result[field] is JsonArray list)
            {
                result[field] = Reorder(field, list, order);
            }
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? original, JsonArray patch)
    {
        if (PrimitiveSets.Contains(field))
        {
            var set = original?.DeepClone().AsArray() ?? [];
            foreach (var item in patch.Where(item => !set.Any(s => JsonNode.DeepEquals(s, item))))
            {
                set.Add(item?.DeepClone());
            }

            return set;
        }

        var mergeKey = MergeKeyOf(field, original, patch);
        if (mergeKey is null || patch.Any(e => e is not JsonObject))
        {
            return Clean(patch);
        }

        if (patch.Any(e => e!["$patch"]?.GetValue<string>() == "replace"))
        {
            return Clean(new JsonArray(patch.Where(e => e!["$patch"]?.GetValue<string>() != "replace").Select(e => e!.DeepClone()).ToArray()));
        }

        var result = original?.DeepClone().AsArray() ?? [];
        foreach (var element in patch.Cast<JsonObject>())
        {
            var key = element[mergeKey];
            var index = IndexOf(result, mergeKey, key);
            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (key is null)
            {
                throw new PatchException($"map: {element.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            if (index >= 0)
            {
                result[index] = MergeObject(result[index] as JsonObject, element);
            }
            else
            {
                result.Add(MergeObject(null, element));
            }
        }

        return result;
    }

    private static string? MergeKeyOf(string field, JsonArray? original, JsonArray patch)
    {
        if (!MergeKeys.TryGetValue(field, out var key))
        {
            return null;
        }

        if (field == "ports")
        {
            var sample = patch.Concat(original ?? []).OfType<JsonObject>().FirstOrDefault();
            return sample is not null && sample.ContainsKey("containerPort") ? "containerPort" : "port";
        }

        return key;
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode? key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var mergeKey = MergeKeyOf(field, list, order);
        int Position(JsonNode? item)
        {
            for (var i = 0; i < order.Count; i++)
            {
                var wanted = mergeKey is not null && order[i] is JsonObject o ? o[mergeKey] : order[i];
                var actual = mergeKey is not null && item is JsonObject e ? e[mergeKey] : item;
                if (JsonNode.DeepEquals(wanted, actual))
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        // A stable sort: items the order does not name keep their relative place after the named ones.
        var sorted = list.Select((item, i) => (Item: item, Index: i)).OrderBy(x => Position(x.Item)).ThenBy(x => x.Index).Select(x => x.Item?.DeepClone()).ToArray();
        return new JsonArray(sorted);
    }

    /// <summary>A copy of a patch value with every directive removed (what gets stored when it replaces or is added).</summary>
    private static T Clean<T>(T node)
        where T : JsonNode
    {
        switch (node)
        {
            case JsonObject o:
                var obj = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key.StartsWith('$'))
                    {
                        continue;
                    }

                    obj[key] = value is null ? null : Clean(value);
                }

                return (T)(JsonNode)obj;
            case JsonArray a:
                return (T)(JsonNode)new JsonArray(a.Select(v => v is null ? null : Clean(v)).ToArray());
            default:
                return (T)node.DeepClone();
        }
    }
}
