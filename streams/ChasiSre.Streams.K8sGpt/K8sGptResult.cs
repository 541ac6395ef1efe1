using System.Text.Json;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// What k8sgpt found about one object, whether it came from a k8sgpt-operator <c>Result</c> object
/// (<c>spec</c>) or from a custom analyzer's <c>Run</c>.
/// </summary>
/// <param name="Kind">The object's kind (<c>Pod</c>, <c>Service</c>, <c>Node</c> ...).</param>
/// <param name="Name"><c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</param>
/// <param name="Errors">What is wrong, one entry per error.</param>
/// <param name="Details">Free text (k8sgpt's AI explanation); may be empty.</param>
/// <param name="ParentObject">The owner k8sgpt names (<c>Deployment/checkout</c>); may be empty.</param>
public sealed record K8sGptResult(string Kind, string Name, IReadOnlyList<K8sGptError> Errors, string Details, string ParentObject)
{
    /// <summary>Every sensitive value of every error: details and parent are masked with them too.</summary>
    public IEnumerable<K8sGptSensitive> Sensitive => Errors.SelectMany(e => e.Sensitive);

    /// <summary>The namespace part of <see cref="Name"/>; null for a cluster-scoped name.</summary>
    public string? Namespace => Name.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? Name[..slash] : null;

    /// <summary>The name part of <see cref="Name"/>.</summary>
    public string ObjectName => Name.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? Name[(slash + 1)..] : Name;

    /// <summary>
    /// Reads a Result object's <c>spec</c> (k8sgpt-operator <c>core.k8sgpt.ai/v1alpha1</c>: kind, name,
    /// error[].text, error[].sensitive[].unmasked/masked, details, parentObject). Null when kind or name
    /// is missing; missing or mistyped optional fields read as empty.
    /// </summary>
    public static K8sGptResult? FromResultObject(JsonElement resultObject)
    {
        if (resultObject.ValueKind != JsonValueKind.Object
            || !resultObject.TryGetProperty("spec", out var spec)
            || spec.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var kind = Str(spec, "kind");
        var name = Str(spec, "name");
        if (kind.Length == 0 || name.Length == 0)
        {
            return null;
        }

        var errors = new List<K8sGptError>();
        foreach (var error in Items(spec, "error"))
        {
            var sensitive = Items(error, "sensitive")
                .Select(s => new K8sGptSensitive(Str(s, "unmasked"), Str(s, "masked")))
                .ToList();
            var text = Str(error, "text");
            if (text.Length > 0)
            {
                errors.Add(new K8sGptError(text, sensitive));
            }
        }

        return new K8sGptResult(kind, name, errors, Str(spec, "details"), Str(spec, "parentObject"));
    }

    private static string Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : "";

    private static JsonElement[] Items(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).ToArray()
            : [];
}
