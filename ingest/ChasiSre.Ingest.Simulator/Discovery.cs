using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Discovery documents built from the catalog: the legacy ones (<c>APIVersions</c>,
/// <c>APIGroupList</c>, <c>APIGroup</c>, <c>APIResourceList</c>) and the aggregated v2 one
/// (<c>apidiscovery.k8s.io/v2 APIGroupDiscoveryList</c>) that kubectl asks for first.
/// </summary>
internal static class Discovery
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceCatalog catalog)
    {
        var groups = new JsonArray();
        foreach (var group in Groups(catalog))
        {
            groups.Add(Group(catalog, group));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var versions = catalog.GroupVersions().Where(gv => gv.Group == group).Select(gv => gv.Version).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    public static JsonObject? ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var types = catalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var resource = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(t.Verbs),
            };
            if (t.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(t.ShortNames);
            }

            if (t.Categories.Count > 0)
            {
                resource["categories"] = Strings(t.Categories);
            }

            resources.Add(resource);
            foreach (var sub in t.Subresources)
            {
                var subresource = new JsonObject
                {
                    ["name"] = $"{t.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                };
                if (sub == "scale")
                {
                    subresource["group"] = "autoscaling";
                    subresource["version"] = "v1";
                }

                subresource["kind"] = sub switch
                {
                    "log" => "Pod",
                    "scale" => "Scale",
                    _ => t.Kind,
                };
                subresource["verbs"] = SubresourceVerbs(sub);
                resources.Add(subresource);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated document of <c>/api</c> (core only) or <c>/apis</c> (every named group).</summary>
    public static JsonObject Aggregated(ResourceCatalog catalog, bool core)
    {
        var items = new JsonArray();
        foreach (var group in core ? [""] : Groups(catalog))
        {
            var versions = new JsonArray();
            foreach (var (_, version) in catalog.GroupVersions().Where(gv => gv.Group == group))
            {
                var resources = new JsonArray();
                foreach (var t in catalog.All.Where(t => t.Group == group && t.Version == version))
                {
                    var resource = new JsonObject
                    {
                        ["resource"] = t.Plural,
                        ["responseKind"] = Kind(t, t.Kind),
                        ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = t.Singular,
                        ["verbs"] = Strings(t.Verbs),
                    };
                    if (t.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(t.ShortNames);
                    }

                    if (t.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(t.Categories);
                    }

                    if (t.Subresources.Count > 0)
                    {
                        var subs = new JsonArray();
                        foreach (var sub in t.Subresources)
                        {
                            subs.Add(new JsonObject
                            {
                                ["subresource"] = sub,
                                ["responseKind"] = sub switch
                                {
                                    "log" => Kind(t, ""),
                                    "scale" => new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" },
                                    _ => Kind(t, t.Kind),
                                },
                                ["verbs"] = SubresourceVerbs(sub),
                            });
                        }

                        resource["subresources"] = subs;
                    }

                    resources.Add(resource);
                }

                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }

            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonArray SubresourceVerbs(string subresource) =>
        subresource == "log" ? new JsonArray("get") : new JsonArray("get", "patch", "update");

    private static List<string> Groups(ResourceCatalog catalog) =>
        catalog.GroupVersions().Select(gv => gv.Group).Where(g => g.Length > 0).Distinct().ToList();

    private static JsonObject Kind(ResourceType t, string kind) => new() { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(JsonValue.Create(v));
        }

        return array;
    }
}
