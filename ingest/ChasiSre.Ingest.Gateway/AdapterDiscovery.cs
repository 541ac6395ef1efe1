using System.Text.Json;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Finds adapters in what the Pod, Service, StatefulSet and Deployment watchers of one cluster see.
/// A Pod (Running, with an IP) or a Service (with a cluster IP) annotated <c>chasi.io/adapter</c> is an
/// adapter. On a host, a Pod or Service synced by a vCluster (label <c>vcluster.loft.sh/managed-by</c>)
/// is the vCluster's adapter: it gets the vCluster's identity and tenant and its virtual namespace and
/// name, and its token Secret is read from the Secret's host twin (vCluster syncs the Secrets its pods
/// use, VCLUSTER.md), so the gateway needs no credentials of any vCluster. vCluster workloads
/// (<c>app=vcluster</c>) give vCluster tenants as ingest decides them (<c>chasi.io/tenant</c> label, else
/// the namespace pattern, else the vCluster name). Thread-safe.
/// </summary>
public sealed class AdapterDiscovery
{
    private static readonly KubeResource Services = new("", "v1", "services", "Service", true);
    private readonly ClusterIdentity cluster;
    private readonly TenantResolver tenants;
    private readonly IAdapterRegistry registry;
    private readonly GatewayOptions options;
    private readonly ILogger logger;
    private readonly Lock sync = new();

    /// <summary>Host object key (Kind/namespace/name) to the adapter it makes, and the raw facts to recompute it when a tenant changes.</summary>
    private readonly Dictionary<string, (string HostNamespace, JsonElement Object, KubeResource Resource, string? EndpointKey)> objects = new(StringComparer.Ordinal);

    /// <summary>Creates discovery for the cluster <paramref name="cluster"/> (a host, or a vCluster in distributed mode).</summary>
    public AdapterDiscovery(ClusterIdentity cluster, TenantResolver tenants, IAdapterRegistry registry, GatewayOptions options, ILogger logger)
    {
        this.cluster = cluster;
        this.tenants = tenants;
        this.registry = registry;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The resources whose watchers feed <see cref="ObserveAsync"/>.</summary>
    public static IReadOnlyList<KubeResource> Resources { get; } = [KubeResources.StatefulSets, KubeResources.Deployments, KubeResources.Pods, Services];

    /// <summary>Looks at one change of a watched object.</summary>
    public ValueTask ObserveAsync(ResourceChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var metadata = Get(change.Value, "metadata");
        var ns = Text(metadata, "namespace");
        var name = Text(metadata, "name");
        if (ns is null || name is null)
        {
            return ValueTask.CompletedTask;
        }

        lock (sync)
        {
            if (change.Resource == KubeResources.StatefulSets || change.Resource == KubeResources.Deployments)
            {
                ObserveWorkload(ns, name, change);
                return ValueTask.CompletedTask;
            }

            var key = $"{change.Resource.Kind}/{ns}/{name}";
            var previous = objects.TryGetValue(key, out var known) ? known.EndpointKey : null;
            if (change.Deleted)
            {
                objects.Remove(key);
                Apply(previous, null);
                return ValueTask.CompletedTask;
            }

            var endpoint = Endpoint(change.Resource, ns, change.Value);
            if (endpoint is null && !HasAdapterAnnotation(change.Value))
            {
                objects.Remove(key);
            }
            else
            {
                objects[key] = (ns, change.Value.Clone(), change.Resource, endpoint?.Key);
            }

            Apply(previous, endpoint);
        }

        return ValueTask.CompletedTask;
    }

    private void Apply(string? previousKey, AdapterEndpoint? endpoint)
    {
        if (previousKey is not null && previousKey != endpoint?.Key)
        {
            registry.Remove(previousKey);
        }

        if (endpoint is not null)
        {
            registry.Upsert(endpoint);
        }
    }

    private void ObserveWorkload(string ns, string name, ResourceChange change)
    {
        var labels = Get(Get(change.Value, "metadata"), "labels");
        if (Text(labels, VClusterNaming.AppLabel) != VClusterNaming.AppLabelValue)
        {
            return;
        }

        var vcluster = Text(labels, VClusterNaming.ReleaseLabel) ?? name;
        if (change.Deleted)
        {
            tenants.RemoveVCluster(ns, vcluster);
        }
        else
        {
            var tenant = Text(labels, TenantResolver.TenantLabel) is { Length: > 0 } label ? label
                : tenants.TenantFromNamespaceName(ns) is { Length: > 0 } fromName ? fromName
                : vcluster;
            tenants.SetVCluster(ns, vcluster, tenant);
        }

        // Adapters of that vCluster may have been found before its workload: give them the tenant now known.
        foreach (var (key, entry) in objects.Where(o => o.Value.HostNamespace == ns).ToList())
        {
            var endpoint = Endpoint(entry.Resource, ns, entry.Object);
            objects[key] = entry with { EndpointKey = endpoint?.Key };
            Apply(entry.EndpointKey, endpoint);
        }
    }

    private static bool HasAdapterAnnotation(JsonElement obj) => Text(Get(Get(obj, "metadata"), "annotations"), AdapterAnnotations.Adapter) is not null;

    private AdapterEndpoint? Endpoint(KubeResource resource, string ns, JsonElement obj)
    {
        var metadata = Get(obj, "metadata");
        var annotations = Get(metadata, "annotations");
        var name = Text(metadata, "name")!;
        if (Text(annotations, AdapterAnnotations.Adapter) is not { } transportText)
        {
            return null;
        }

        if (AdapterAnnotations.ParseTransport(transportText) is not { } transport)
        {
            Log.InvalidAnnotation(logger, resource.Kind, ns, name, AdapterAnnotations.Adapter, transportText);
            return null;
        }

        // Where to reach it.
        string? ip;
        if (resource == KubeResources.Pods)
        {
            if (Text(Get(obj, "status"), "phase") != "Running" || Get(metadata, "deletionTimestamp") is not null)
            {
                return null;
            }

            ip = Text(Get(obj, "status"), "podIP");
        }
        else
        {
            ip = Text(Get(obj, "spec"), "clusterIP");
            if (ip == "None")
            {
                Log.InvalidAnnotation(logger, resource.Kind, ns, name, AdapterAnnotations.Adapter, "headless Service: annotate its pods instead");
                return null;
            }
        }

        if (string.IsNullOrEmpty(ip))
        {
            return null;
        }

        var portText = Text(annotations, AdapterAnnotations.Port);
        var port = AdapterAnnotations.ParsePort(portText) ?? (resource == KubeResources.Pods ? null : NamedServicePort(obj, portText));
        if (port is null)
        {
            Log.InvalidAnnotation(logger, resource.Kind, ns, name, AdapterAnnotations.Port, portText ?? "");
            return null;
        }

        var interval = options.DefaultInterval;
        if (Text(annotations, AdapterAnnotations.Interval) is { } intervalText)
        {
            if (AdapterAnnotations.ParseInterval(intervalText) is not { } parsed)
            {
                Log.InvalidAnnotation(logger, resource.Kind, ns, name, AdapterAnnotations.Interval, intervalText);
                return null;
            }

            interval = parsed < options.MinInterval ? options.MinInterval : parsed;
        }

        // Who it is: a vCluster's object synced to this host, or this cluster's own.
        var labels = Get(metadata, "labels");
        var uid = Text(metadata, "uid");
        ObjectRef source;
        var secretName = Text(annotations, AdapterAnnotations.TokenSecret);
        SecretReference? secret = null;
        if (cluster.Layer == Layer.Host && Text(labels, VClusterNaming.ManagedByLabel) is { Length: > 0 } vcluster)
        {
            var virtualNamespace = Text(annotations, VClusterNaming.PodNamespaceAnnotation)
                ?? Text(annotations, VClusterNaming.ObjectNamespaceAnnotation)
                ?? Text(labels, VClusterNaming.NamespaceLabel);
            var virtualName = Text(annotations, VClusterNaming.PodNameAnnotation) ?? Text(annotations, VClusterNaming.ObjectNameAnnotation);
            if (virtualNamespace is null || virtualName is null)
            {
                return null;
            }

            var identity = ClusterIdentity.VCluster(vcluster, tenants.TenantOfVCluster(ns, vcluster), cluster.Cluster, ns);
            var twin = cluster.Ref(resource.ApiVersion, resource.Kind, ns, name, uid, identity.Tenant);
            source = identity.Ref(resource.ApiVersion, resource.Kind, virtualNamespace, virtualName,
                Text(annotations, VClusterNaming.PodUidAnnotation) ?? Text(annotations, VClusterNaming.ObjectUidAnnotation));
            source.Twin = twin;
            if (secretName is not null)
            {
                secret = new SecretReference(ns, VClusterNaming.HostName(secretName, virtualNamespace, vcluster), Text(annotations, AdapterAnnotations.TokenKey),
                    $"{virtualNamespace}/{secretName} (vCluster {vcluster})");
            }
        }
        else
        {
            var tenant = cluster.Tenant.Length > 0 ? cluster.Tenant : tenants.TenantOfHostNamespace(ns);
            source = cluster.Ref(resource.ApiVersion, resource.Kind, ns, name, uid, tenant);
            if (secretName is not null)
            {
                secret = new SecretReference(ns, secretName, Text(annotations, AdapterAnnotations.TokenKey), $"{ns}/{secretName}");
            }
        }

        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new AdapterEndpoint(source, transport, new Uri($"http://{host}:{port}/"), secret, interval);
    }

    private static int? NamedServicePort(JsonElement service, string? name)
    {
        if (name is null || Get(Get(service, "spec"), "ports") is not { ValueKind: JsonValueKind.Array } ports)
        {
            return null;
        }

        foreach (var port in ports.EnumerateArray())
        {
            if (Text(port, "name") == name && Get(port, "port") is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var value))
            {
                return value;
            }
        }

        return null;
    }

    private static JsonElement? Get(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement? element, string property) =>
        Get(element, property) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
