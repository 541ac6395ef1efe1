using System.Text.Json;

namespace ChasiSre.Ingest;

/// <summary>Reading Kubernetes JSON without building a tree: missing or mistyped fields read as absent.</summary>
internal static class Json
{
    public static JsonElement? Get(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Get(this JsonElement? element, string property) => element is { } e ? e.Get(property) : null;

    /// <summary>As <see cref="Get(JsonElement, string)"/> with the name in UTF-8 (no transcoding per lookup).</summary>
    public static JsonElement? Get(this JsonElement element, ReadOnlySpan<byte> property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Get(this JsonElement? element, ReadOnlySpan<byte> property) => element is { } e ? e.Get(property) : null;

    public static string? Text(this JsonElement element, ReadOnlySpan<byte> property) => element.Get(property).Text();

    public static string? Text(this JsonElement? element, ReadOnlySpan<byte> property) => element.Get(property).Text();

    public static string? Text(this JsonElement? element) => element is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    public static string? Text(this JsonElement element, string property) => element.Get(property).Text();

    public static string? Text(this JsonElement? element, string property) => element.Get(property).Text();

    public static int? Int(this JsonElement? element) => element is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out var value) ? value : null;

    public static long? Long(this JsonElement? element) => element is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var value) ? value : null;

    public static bool? Bool(this JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static IEnumerable<JsonElement> Items(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static IEnumerable<JsonProperty> Properties(this JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } obj ? obj.EnumerateObject() : [];

    /// <summary>A scalar as text (strings as is, other values as their JSON).</summary>
    public static string Scalar(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() ?? "",
        JsonValueKind.Null => "",
        _ => element.GetRawText(),
    };
}
