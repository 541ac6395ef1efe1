using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// A minimal OpenAPI v3 discovery: <c>/openapi/v3</c> lists one document per group/version, and each document
/// has, per resource, the item path with a <c>patch</c> operation that carries its
/// <c>x-kubernetes-group-version-kind</c> and the <c>dryRun</c>, <c>fieldManager</c>, <c>fieldValidation</c>
/// and <c>force</c> query parameters. That is what kubectl reads to learn that the server validates fields
/// itself (so <c>kubectl apply</c> needs no client-side schema); there are no schemas, so kubectl computes
/// strategic merge patches from its compiled-in types, and <c>kubectl explain</c> has nothing to show.
/// </summary>
internal static class OpenApi
{
    private static readonly string[] PatchParameters = ["dryRun", "fieldManager", "fieldValidation", "force"];

    public static JsonObject Root(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in catalog.GroupVersions())
        {
            var path = PathOf(group, version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(catalog, group, version)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of <c>/openapi/v3/api/v1</c> or <c>/openapi/v3/apis/{group}/{version}</c>, or null.</summary>
    public static JsonObject? GroupVersion(ResourceCatalog catalog, string path)
    {
        var (group, version) = catalog.GroupVersions().FirstOrDefault(gv => PathOf(gv.Group, gv.Version) == path);
        if (version is null)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in catalog.All.Where(t => t.Group == group && t.Version == version))
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var item = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
            var parameters = new JsonArray();
            foreach (var name in PatchParameters)
            {
                parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string" } });
            }

            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = parameters,
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = paths,
        };
    }

    private static string PathOf(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static string Hash(ResourceCatalog catalog, string group, string version) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join(',', catalog.All.Where(t => t.Group == group && t.Version == version).Select(t => t.Plural)))))[..16];
}
