using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Deploy.Tests;

/// <summary>Multi-document YAML (helm template, chasi deploy topics) parsed into JSON nodes; plain scalars get their
/// YAML 1.2 core-schema type (int, bool, null), quoted ones stay strings, as the API server would read them.</summary>
internal static class Manifests
{
    public static List<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(d => d.RootNode is YamlMappingNode)
            .Select(d => ToJson(d.RootNode)!.AsObject())
            .ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}."),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small))
        {
            return JsonValue.Create(small);
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text);
    }

    public static string Kind(this JsonObject manifest) => (string)manifest["kind"]!;

    public static string Name(this JsonObject manifest) => (string)manifest["metadata"]!["name"]!;

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> manifests, string kind) => manifests.Where(m => m.Kind() == kind);

    public static string? Component(this JsonObject manifest) => (string?)manifest["metadata"]?["labels"]?["app.kubernetes.io/component"];

    /// <summary>The pod template's containers of a Deployment or StatefulSet.</summary>
    public static JsonArray Containers(this JsonObject workload) => workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    public static IEnumerable<string> Strings(this JsonNode? array) => array?.AsArray().Select(n => (string)n!) ?? [];
}
