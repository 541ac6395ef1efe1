using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// What the apiextensions apiserver does with a CustomResourceDefinition, in the simulator: validates it on write
/// (group and names, <c>metadata.name</c> = <c>plural.group</c>, scope, exactly one storage version, a schema per
/// version), and once stored serves its versions (discovery, REST, the <c>status</c> subresource when declared,
/// validation against the version's <c>openAPIV3Schema</c>) and reports <c>NamesAccepted</c> and <c>Established</c> in
/// its status. Deleting the CRD stops serving it and deletes its custom resources.
/// </summary>
internal sealed partial class CustomResourceDefinitions(ObjectStore store, ResourceCatalog catalog, TimeProvider timeProvider)
{
    public const string Group = "apiextensions.k8s.io";

    public static bool IsDefinition(ResourceType type) => type.Group == Group && type.Kind == "CustomResourceDefinition";

    /// <summary>The apiserver's validation of a CRD; empty when valid.</summary>
    public List<(string Field, string Message)> Validate(JsonObject crd)
    {
        var causes = new List<(string, string)>();
        var spec = crd["spec"] as JsonObject;
        var group = spec?["group"]?.GetValue<string>() ?? "";
        var names = spec?["names"] as JsonObject;
        var plural = names?["plural"]?.GetValue<string>() ?? "";
        var kind = names?["kind"]?.GetValue<string>() ?? "";
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (group.Length == 0)
        {
            causes.Add(("spec.group", "Required value"));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            causes.Add(("spec.group", $"Invalid value: \"{group}\": should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            causes.Add(("spec.names.plural", "Required value"));
        }
        else if (!Label().IsMatch(plural))
        {
            causes.Add(("spec.names.plural", $"Invalid value: \"{plural}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
        }

        if (kind.Length == 0)
        {
            causes.Add(("spec.names.kind", "Required value"));
        }

        if (plural.Length > 0 && group.Length > 0 && name != $"{plural}.{group}")
        {
            causes.Add(("metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = spec?["scope"]?.GetValue<string>() ?? "";
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(("spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            causes.Add(("spec.versions", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(("spec.versions", "Invalid value: ...: must have exactly one version marked as storage version"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]["name"]?.GetValue<string>() is not { Length: > 0 })
            {
                causes.Add(($"spec.versions[{i}].name", "Required value"));
            }

            if (versions[i]["schema"]?["openAPIV3Schema"] is not JsonObject schema)
            {
                causes.Add(($"spec.versions[{i}].schema.openAPIV3Schema", "Required value: schemas are required"));
            }
            else if (schema["type"]?.GetValue<string>() != "object")
            {
                causes.Add(($"spec.versions[{i}].schema.openAPIV3Schema.type", "Required value: must be object at the root"));
            }
        }

        if (causes.Count == 0)
        {
            foreach (var type in Types(crd))
            {
                if (catalog.All.FirstOrDefault(t => t.DefinitionName != name && ((t.ApiVersion == type.ApiVersion && t.Kind == type.Kind) || (t.Group == type.Group && t.Version == type.Version && t.Plural == type.Plural))) is { } taken)
                {
                    causes.Add(("spec.names", $"Invalid value: \"{type.Plural}\": {taken.GroupResource} ({taken.Kind} in {taken.ApiVersion}) is already served"));
                }
            }
        }

        return causes;
    }

    /// <summary>After a CRD was stored: serve its versions and mark it established.</summary>
    public void Established(JsonObject crd)
    {
        var name = crd["metadata"]!["name"]!.GetValue<string>();
        catalog.ReplaceDefinition(name, Types(crd));
        var crdType = catalog.GetByKind($"{Group}/v1", "CustomResourceDefinition");
        var now = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        store.Mutate(crdType, null, name, timeProvider.GetUtcNow(), dryRun: false, current =>
        {
            if (current is null)
            {
                return StoreMutation.Fail(ApiStatus.NotFound(crdType, name));
            }

            var next = current.Object.DeepClone().AsObject();
            var names = next["spec"]!["names"]!.DeepClone().AsObject();
            names["singular"] ??= names["kind"]!.GetValue<string>().ToLowerInvariant();
            names["listKind"] ??= names["kind"]!.GetValue<string>() + "List";
            var storedVersions = (next["spec"]!["versions"] as JsonArray)!.OfType<JsonObject>().Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)v["name"]!.GetValue<string>());
            var previous = current.Object["status"]?["conditions"] as JsonArray;
            string Since(string type) => previous?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True")?["lastTransitionTime"]?.GetValue<string>() ?? now;
            next["status"] = new JsonObject
            {
                ["acceptedNames"] = names,
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found", ["lastTransitionTime"] = Since("NamesAccepted") },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted", ["lastTransitionTime"] = Since("Established") }),
                ["storedVersions"] = new JsonArray([.. storedVersions]),
            };
            return StoreMutation.Write(next);
        });
    }

    /// <summary>After a CRD was deleted: its custom resources are deleted and its resources no longer served.</summary>
    public void Removed(string name)
    {
        var types = catalog.DefinedBy(name);
        if (types.Count > 0)
        {
            var (_, items, _) = store.List(types[0], null, static _ => true, null, int.MaxValue);
            foreach (var item in items)
            {
                store.Remove(types[0], item.Namespace, item.Name);
            }
        }

        catalog.ReplaceDefinition(name, []);
    }

    /// <summary>The resources a CRD serves: one per served version.</summary>
    public static List<ResourceType> Types(JsonObject crd)
    {
        var name = crd["metadata"]!["name"]!.GetValue<string>();
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        var group = spec["group"]!.GetValue<string>();
        var kind = names["kind"]!.GetValue<string>();
        var plural = names["plural"]!.GetValue<string>();
        var types = new List<ResourceType>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false))
        {
            var subresources = new List<string>();
            if (version["subresources"]?["status"] is JsonObject)
            {
                subresources.Add("status");
            }

            if (version["subresources"]?["scale"] is JsonObject)
            {
                subresources.Add("scale");
            }

            types.Add(new ResourceType(group, version["name"]!.GetValue<string>(), kind, plural, spec["scope"]?.GetValue<string>() != "Cluster")
            {
                Singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant(),
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                Subresources = subresources,
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject(),
                DefinitionName = name,
                StorageKey = $"{plural}.{group}",
            });
        }

        return types;
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(n => n?.GetValue<string>()).OfType<string>().ToList() : [];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
