using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// A parsed field selector (<c>f=v</c>, <c>f==v</c>, <c>f!=v</c>, ANDed), limited like the real
/// apiserver to <c>metadata.name</c>, <c>metadata.namespace</c> and the fields each resource
/// indexes (pods: spec.nodeName, status.phase, ...; events: involvedObject.*, reason, type, source, ...).
/// </summary>
internal sealed class FieldSelector
{
    private sealed record Requirement(string Field, string Path, bool Equal, string Value);

    private static readonly Dictionary<string, Dictionary<string, string>> FieldsByStorage = new(StringComparer.Ordinal)
    {
        ["pods"] = Fields(
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName"),
        ["events"] = new(Fields(
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "type"), StringComparer.Ordinal)
        {
            ["source"] = "source.component",
            ["regarding.kind"] = "involvedObject.kind",
            ["regarding.namespace"] = "involvedObject.namespace",
            ["regarding.name"] = "involvedObject.name",
            ["regarding.uid"] = "involvedObject.uid",
            ["regarding.apiVersion"] = "involvedObject.apiVersion",
            ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
            ["regarding.fieldPath"] = "involvedObject.fieldPath",
            ["reportingController"] = "reportingComponent",
        },
        ["nodes"] = Fields("spec.unschedulable"),
        ["namespaces"] = Fields("status.phase"),
        ["secrets"] = Fields("type"),
        ["replicasets.apps"] = Fields("status.replicas"),
        ["replicationcontrollers"] = Fields("status.replicas"),
        ["jobs.batch"] = Fields("status.successful"),
        ["persistentvolumeclaims"] = Fields(),
    };

    private readonly IReadOnlyList<Requirement> _requirements;

    private FieldSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>The value a selector requires for <paramref name="field"/> with <c>=</c>, if any.</summary>
    public string? RequiredValue(string field) =>
        _requirements.FirstOrDefault(r => r.Equal && r.Field == field)?.Value;

    /// <exception cref="FormatException">The selector does not parse or names a field the resource does not index.</exception>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        FieldsByStorage.TryGetValue(type.EffectiveStorageKey, out var fields);
        var requirements = new List<Requirement>();
        foreach (var raw in SplitUnescaped(text, ','))
        {
            var part = raw.Trim();
            int opAt;
            int opLength;
            bool equal;
            if ((opAt = IndexOfUnescaped(part, "!=")) > 0)
            {
                (opLength, equal) = (2, false);
            }
            else if ((opAt = IndexOfUnescaped(part, "==")) > 0)
            {
                (opLength, equal) = (2, true);
            }
            else if ((opAt = IndexOfUnescaped(part, "=")) > 0)
            {
                (opLength, equal) = (1, true);
            }
            else
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            var field = part[..opAt].Trim();
            var value = Unescape(part[(opAt + opLength)..].Trim());
            string? path = field is "metadata.name" or "metadata.namespace" ? field : null;
            if (path is null && (fields is null || !fields.TryGetValue(field, out path)))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            requirements.Add(new Requirement(field, path, equal, value));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var r in _requirements)
        {
            var actual = Read(obj, r.Path);
            if ((actual == r.Value) != r.Equal)
            {
                return false;
            }
        }

        return true;
    }

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
            if (node is null)
            {
                // Unset fields select as their zero value, like the real field label functions.
                return path is "spec.hostNetwork" or "spec.unschedulable" ? "false" : path is "status.replicas" or "status.successful" ? "0" : "";
            }
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }

    private static Dictionary<string, string> Fields(params string[] names) =>
        names.ToDictionary(n => n, n => n, StringComparer.Ordinal);

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static int IndexOfUnescaped(string text, string op)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }
}
