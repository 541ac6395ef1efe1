using System.Globalization;
using System.Text.Json;

namespace ChasiSre.Streams.Detection;

/// <summary>Tolerant readers over object JSON: a missing field or one of an unexpected type reads as null or empty.</summary>
internal static class KubeJson
{
    public static JsonElement? Get(JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var segment in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    public static string? Str(JsonElement element, params ReadOnlySpan<string> path) => Get(element, path) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static long? Long(JsonElement element, params ReadOnlySpan<string> path) => Get(element, path) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static bool? Bool(JsonElement element, params ReadOnlySpan<string> path) => Get(element, path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } value when bool.TryParse(value.GetString(), out var b) => b,
        _ => null,
    };

    public static DateTimeOffset? Time(JsonElement element, params ReadOnlySpan<string> path) =>
        Str(element, path) is { Length: > 0 } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    // The elements as they are read (a JsonElement never changes): no copy into an array first.
    public static IEnumerable<JsonElement> Items(JsonElement element, params ReadOnlySpan<string> path) =>
        Get(element, path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static IReadOnlyDictionary<string, string> Map(JsonElement element, params ReadOnlySpan<string> path)
    {
        if (Get(element, path) is not { ValueKind: JsonValueKind.Object } obj)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
        }

        return map;
    }

    public static bool Has(JsonElement element, params ReadOnlySpan<string> path) => Get(element, path) is not null;

    public static string? Label(KubeObject obj, string key) => Str(obj.Json, "metadata", "labels", key);

    public static string? Annotation(KubeObject obj, string key) => Str(obj.Json, "metadata", "annotations", key);

    public static IEnumerable<OwnerReference> OwnerReferences(JsonElement obj) =>
        Items(obj, "metadata", "ownerReferences").Select(o => new OwnerReference(
            Str(o, "apiVersion") ?? "",
            Str(o, "kind") ?? "",
            Str(o, "name") ?? "",
            Str(o, "uid") ?? "",
            Bool(o, "controller") ?? false)).Where(o => o.Kind.Length > 0 && o.Name.Length > 0);

    public static OwnerReference? Controller(JsonElement obj)
    {
        if (Get(obj, "metadata", "ownerReferences") is not { ValueKind: JsonValueKind.Array })
        {
            return null; // Most objects (bare pods, the objects at the top of a workload) have none.
        }

        var owners = OwnerReferences(obj).ToList();
        return owners.FirstOrDefault(o => o.Controller) ?? (owners.Count == 1 ? owners[0] : null);
    }

    /// <summary>A condition of status.conditions by type.</summary>
    public static JsonElement? Condition(JsonElement obj, string type)
    {
        if (Get(obj, "status", "conditions") is not { ValueKind: JsonValueKind.Array } conditions)
        {
            return null;
        }

        foreach (var condition in conditions.EnumerateArray())
        {
            if (Get(condition, "type") is { } name
                && (name.ValueKind == JsonValueKind.String ? name.ValueEquals(type) : Str(condition, "type") == type))
            {
                return condition;
            }
        }

        return null;
    }

    /// <summary>Does a label selector (matchLabels + matchExpressions, or a plain map) select <paramref name="labels"/>?
    /// An empty selector selects everything; null when the selector is absent.</summary>
    public static bool Selects(JsonElement? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not { ValueKind: JsonValueKind.Object } s)
        {
            return false;
        }

        var isLabelSelector = s.TryGetProperty("matchLabels", out _) || s.TryGetProperty("matchExpressions", out _);
        var matchLabels = isLabelSelector ? Map(s, "matchLabels") : Map(s);
        foreach (var (key, value) in matchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in Items(s, "matchExpressions"))
        {
            var key = Str(expression, "key") ?? "";
            var values = Items(expression, "values").Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()).ToHashSet(StringComparer.Ordinal);
            var present = labels.TryGetValue(key, out var actual);
            var ok = Str(expression, "operator") switch
            {
                "In" => present && values.Contains(actual),
                "NotIn" => !present || !values.Contains(actual),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsEmptySelector(JsonElement? selector) =>
        selector is { ValueKind: JsonValueKind.Object } s
        && Map(s, "matchLabels").Count == 0 && !Items(s, "matchExpressions").Any()
        && !s.EnumerateObject().Any(p => p.Name is not ("matchLabels" or "matchExpressions"));

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Stamp(DateTimeOffset? at) => at is { } value ? Stamp(value) : "unknown time";

    /// <summary>Parses a Kubernetes quantity (<c>500m</c>, <c>1Gi</c>, <c>2</c>) into a number; null when malformed.</summary>
    public static decimal? Quantity(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        (string Suffix, decimal Factor)[] suffixes =
        [
            ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
            ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
            ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m),
            ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
        ];
        foreach (var (suffix, factor) in suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
            {
                return scaled * factor;
            }
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
    }
}
