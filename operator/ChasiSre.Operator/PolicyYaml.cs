using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace ChasiSre.Operator;

/// <summary>
/// An ActionPolicy resource as the policy file the executor loads: <c>apiVersion</c>, <c>kind</c>, <c>metadata.name</c> and
/// <c>spec</c> in block-style YAML, so the executor's <c>PolicyLoader</c> reads exactly what it will read from the
/// ConfigMap and its file:line:column errors point into that file.
/// </summary>
public static class PolicyYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().DisableAliases().Build();

    /// <summary>The file name errors and rule sources name: <c>actionpolicies/&lt;namespace&gt;/&lt;name&gt;.yaml</c>.</summary>
    public static string FileName(string @namespace, string name) => $"actionpolicies/{@namespace}/{name}.yaml";

    /// <summary>The key of the policy in the executor's ConfigMap.</summary>
    public static string Key(string name) => name + ".yaml";

    public static string Render(JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var document = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["apiVersion"] = resource["apiVersion"]?.GetValue<string>(),
            ["kind"] = resource["kind"]?.GetValue<string>(),
            ["metadata"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = resource["metadata"]?["name"]?.GetValue<string>() },
            ["spec"] = Plain(resource["spec"]),
        };
        return Serializer.Serialize(document);
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(kv => kv.Key, kv => Plain(kv.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l : (object)value.GetValue<double>().ToString(CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };
}
