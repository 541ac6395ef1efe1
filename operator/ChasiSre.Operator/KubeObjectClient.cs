using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ChasiSre.Operator;

/// <summary>
/// Objects of any kind as <see cref="JsonObject"/>s over KubernetesClient: server-side apply (<c>application/apply-patch+yaml</c>
/// with a field manager and <c>force</c>), get, list, delete, merge patches of <c>status</c>, and events. Core-group kinds go
/// through the typed CoreV1 API, every other group through the generic custom-objects paths
/// (<c>/apis/{group}/{version}/...</c>), which serve built-in groups such as <c>apps</c> as well.
/// </summary>
public sealed class KubeObjectClient(IKubernetes client, string fieldManager)
{
    private static readonly Dictionary<string, (string Plural, bool Namespaced)> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/ConfigMap"] = ("configmaps", true),
        ["v1/ServiceAccount"] = ("serviceaccounts", true),
        ["v1/Namespace"] = ("namespaces", false),
        ["v1/Secret"] = ("secrets", true),
        ["apps/v1/Deployment"] = ("deployments", true),
        ["apps/v1/StatefulSet"] = ("statefulsets", true),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = ("clusterroles", false),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = ("clusterrolebindings", false),
        ["rbac.authorization.k8s.io/v1/Role"] = ("roles", true),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = ("rolebindings", true),
        [$"{ChasiResources.ApiVersion}/{ChasiResources.SreAgentKind}"] = (ChasiResources.SreAgents, true),
        [$"{ChasiResources.ApiVersion}/{ChasiResources.KnowledgeSourceKind}"] = (ChasiResources.KnowledgeSources, true),
        [$"{ChasiResources.ApiVersion}/{ChasiResources.ActionPolicyKind}"] = (ChasiResources.ActionPolicies, true),
    };

    public IKubernetes Client => client;

    public string FieldManager => fieldManager;

    /// <summary>Server-side applies <paramref name="obj"/> (it names its apiVersion, kind, name and namespace); returns what the server stored.</summary>
    public async Task<JsonObject> ApplyAsync(JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (group, version, kind) = Split(obj);
        var (plural, namespaced) = Resource(obj);
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        var ns = namespaced ? obj["metadata"]!["namespace"]!.GetValue<string>() : null;
        var patch = new V1Patch(obj, V1Patch.PatchType.ApplyPatch);
        object result;
        if (group.Length == 0)
        {
            result = kind switch
            {
                "ConfigMap" => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false),
                "ServiceAccount" => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false),
                "Namespace" => await client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw new NotSupportedException($"the operator does not apply core {kind} objects"),
            };
        }
        else
        {
            result = namespaced
                ? await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, group, version, ns, plural, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.PatchClusterCustomObjectAsync(patch, group, version, plural, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return ToJson(result);
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string apiVersion, string kind, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        var (plural, namespaced) = Resource(apiVersion, kind);
        try
        {
            object result = group.Length == 0
                ? kind switch
                {
                    "ConfigMap" => await client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "ServiceAccount" => await client.CoreV1.ReadNamespacedServiceAccountAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "Namespace" => await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "Secret" => await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false),
                    _ => throw new NotSupportedException($"the operator does not read core {kind} objects"),
                }
                : namespaced
                    ? await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, @namespace, plural, name, cancellationToken).ConfigureAwait(false)
                    : await client.CustomObjects.GetClusterCustomObjectAsync(group, version, plural, name, cancellationToken).ConfigureAwait(false);
            return ToJson(result);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the object (background propagation: its dependents go too); false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string apiVersion, string kind, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        var (plural, namespaced) = Resource(apiVersion, kind);
        var options = new V1DeleteOptions { PropagationPolicy = "Background" };
        try
        {
            if (group.Length == 0)
            {
                _ = kind switch
                {
                    "ConfigMap" => (object)await client.CoreV1.DeleteNamespacedConfigMapAsync(name, @namespace, options, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "ServiceAccount" => await client.CoreV1.DeleteNamespacedServiceAccountAsync(name, @namespace, options, cancellationToken: cancellationToken).ConfigureAwait(false),
                    "Namespace" => await client.CoreV1.DeleteNamespaceAsync(name, options, cancellationToken: cancellationToken).ConfigureAwait(false),
                    _ => throw new NotSupportedException($"the operator does not delete core {kind} objects"),
                };
            }
            else if (namespaced)
            {
                await client.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, @namespace, plural, name, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.CustomObjects.DeleteClusterCustomObjectAsync(group, version, plural, name, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A JSON merge patch (RFC 7386) of the object, e.g. removing one ConfigMap key with a null.</summary>
    public async Task MergePatchAsync(string apiVersion, string kind, string? @namespace, string name, JsonObject patch, CancellationToken cancellationToken = default)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        var (plural, _) = Resource(apiVersion, kind);
        var body = new V1Patch(patch, V1Patch.PatchType.MergePatch);
        if (group.Length == 0 && kind == "ConfigMap")
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(body, name, @namespace, fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(body, group, version, @namespace, plural, name, fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every chasi.io object of a kind (in one namespace, or all); the list's resourceVersion for a watch.</summary>
    public async Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default)
    {
        var plural = ChasiResources.Plural(kind);
        var result = string.IsNullOrEmpty(@namespace)
            ? await client.CustomObjects.ListClusterCustomObjectAsync(ChasiResources.Group, ChasiResources.Version, plural, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(ChasiResources.Group, ChasiResources.Version, @namespace, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = ToJson(result);
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => i.DeepClone().AsObject()).ToList();
        foreach (var item in items)
        {
            item["apiVersion"] ??= ChasiResources.ApiVersion;
            item["kind"] ??= kind;
        }

        return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "");
    }

    /// <summary>Watches a chasi.io kind from <paramref name="resourceVersion"/>; ends when the server closes the watch.</summary>
    public async IAsyncEnumerable<(WatchEventType Type, JsonObject Object)> WatchAsync(string kind, string? @namespace, string resourceVersion, Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var plural = ChasiResources.Plural(kind);
        var events = string.IsNullOrEmpty(@namespace)
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(ChasiResources.Group, ChasiResources.Version, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(ChasiResources.Group, ChasiResources.Version, @namespace, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, obj) in events.ConfigureAwait(false))
        {
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                yield return (type, ToJson(obj));
            }
        }
    }

    /// <summary>Merge-patches the <c>status</c> subresource of a chasi.io object; null when the object is gone.</summary>
    public async Task<JsonObject?> PatchStatusAsync(string kind, string @namespace, string name, JsonObject status, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch(new JsonObject { ["status"] = status }, V1Patch.PatchType.MergePatch),
                ChasiResources.Group, ChasiResources.Version, @namespace, ChasiResources.Plural(kind), name, fieldManager: fieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ToJson(result);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Records a core/v1 Event about <paramref name="involved"/> (the reconciled object).</summary>
    public async Task EventAsync(JsonObject involved, string type, string reason, string message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var metadata = involved["metadata"]!;
        var ns = metadata["namespace"]?.GetValue<string>() ?? "default";
        var name = metadata["name"]!.GetValue<string>();
        var at = now.UtcDateTime;
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = involved["apiVersion"]?.GetValue<string>(),
                Kind = involved["kind"]?.GetValue<string>(),
                Name = name,
                NamespaceProperty = ns,
                Uid = metadata["uid"]?.GetValue<string>(),
                ResourceVersion = metadata["resourceVersion"]?.GetValue<string>(),
            },
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1021] + "..." : message,
            Source = new V1EventSource { Component = fieldManager },
            ReportingComponent = fieldManager,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = at,
            LastTimestamp = at,
            Count = 1,
        };
        await client.CoreV1.CreateNamespacedEventAsync(ev, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static JsonObject ToJson(object result) => result switch
    {
        JsonObject json => json,
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        _ => JsonNode.Parse(KubernetesJson.Serialize(result))!.AsObject(),
    };

    private static (string Group, string Version, string Kind) Split(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("the object has no apiVersion", nameof(obj));
        var kind = obj["kind"]?.GetValue<string>() ?? throw new ArgumentException("the object has no kind", nameof(obj));
        var (group, version) = SplitApiVersion(apiVersion);
        return (group, version, kind);
    }

    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    private static (string Plural, bool Namespaced) Resource(JsonObject obj) =>
        Resource(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>());

    private static (string Plural, bool Namespaced) Resource(string apiVersion, string kind) =>
        Kinds.TryGetValue($"{apiVersion}/{kind}", out var resource)
            ? resource
            : throw new NotSupportedException($"the operator does not manage {kind} in {apiVersion}");
}
