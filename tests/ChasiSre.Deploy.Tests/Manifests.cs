using System.Text.Json.Nodes;
using ChasiSre.TestKit;

namespace ChasiSre.Deploy.Tests;

/// <summary>Rendered manifests (helm template, chasi deploy topics) as JSON nodes, and what the tests read of them.</summary>
internal static class Manifests
{
    public static List<JsonObject> Parse(string yaml) => YamlJson.Documents(yaml);

    public static string Kind(this JsonObject manifest) => (string)manifest["kind"]!;

    public static string Name(this JsonObject manifest) => (string)manifest["metadata"]!["name"]!;

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> manifests, string kind) => manifests.Where(m => m.Kind() == kind);

    public static string? Component(this JsonObject manifest) => (string?)manifest["metadata"]?["labels"]?["app.kubernetes.io/component"];

    /// <summary>The pod template's containers of a Deployment or StatefulSet.</summary>
    public static JsonArray Containers(this JsonObject workload) => workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    public static IEnumerable<string> Strings(this JsonNode? array) => array?.AsArray().Select(n => (string)n!) ?? [];
}
