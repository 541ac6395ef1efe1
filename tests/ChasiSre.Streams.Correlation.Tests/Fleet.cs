using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

/// <summary>Builds the objects of a host cluster and its vClusters into an <see cref="InMemoryClusterState"/>, the way ingest references them.</summary>
internal static class Fleet
{
    public const string Host = "host";
    public const string TemplateHash = "6d5f7c9b8";

    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static ObjectRef Virtual(string vcluster, string apiVersion, string kind, string? ns, string name) => new()
    {
        Cluster = vcluster,
        Tenant = vcluster,
        Layer = Layer.Virtual,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = ns ?? "",
        Name = name,
        Uid = $"uid-{vcluster}-{kind}-{ns}-{name}",
        HostCluster = Host,
        HostNamespace = $"vcluster-{vcluster}",
    };

    public static ObjectRef HostObject(string apiVersion, string kind, string? ns, string name, string tenant = "") => new()
    {
        Cluster = Host,
        Tenant = tenant,
        Layer = Layer.Host,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = ns ?? "",
        Name = name,
        Uid = $"uid-host-{kind}-{ns}-{name}",
        HostCluster = Host,
    };

    public static ObjectRef Node(string name) => HostObject("v1", "Node", null, name);

    public static ObjectRef Adapter(string tenant, string name) => new()
    {
        Cluster = tenant,
        Tenant = tenant,
        Layer = Layer.Business,
        Kind = "BusinessAdapter",
        Name = name,
    };

    /// <summary>A Deployment with its ReplicaSet and pods in a vCluster; with <paramref name="twins"/>, the pods' host twins too.</summary>
    public static Workload AddDeployment(this InMemoryClusterState state, string vcluster, string ns, string name, int replicas, bool twins = false)
    {
        var deployment = Virtual(vcluster, "apps/v1", "Deployment", ns, name);
        state.Add(deployment, Json(deployment, []));
        var replicaSet = Virtual(vcluster, "apps/v1", "ReplicaSet", ns, $"{name}-{TemplateHash}");
        state.Add(replicaSet, Json(replicaSet, [Owner(deployment)]));
        var pods = new List<ObjectRef>();
        for (var i = 0; i < replicas; i++)
        {
            var pod = Virtual(vcluster, "v1", "Pod", ns, $"{name}-{TemplateHash}-p{i:D3}");
            var json = Json(pod, [Owner(replicaSet)]);
            ((JsonObject)json["metadata"]!)["labels"] = new JsonObject { ["pod-template-hash"] = TemplateHash };
            if (twins)
            {
                var host = HostObject("v1", "Pod", pod.HostNamespace, $"{pod.Name}-x-{ns}-x-{vcluster}", vcluster);
                host.Twin = pod.Clone();
                state.Add(host, Json(host, []));
                var hostOnly = host.Clone();
                hostOnly.Twin = null;
                pod.Twin = hostOnly;
            }

            state.Add(pod, json);
            pods.Add(pod);
        }

        return new Workload(deployment, replicaSet, pods);
    }

    public static Finding Finding(
        ObjectRef subject,
        IncidentCategory category,
        Severity severity = Severity.Error,
        string? message = null,
        ObjectRef? cause = null,
        string? detector = null) =>
        new(detector ?? $"test.{category}".ToLowerInvariant(), category, subject, severity, category.ToString(), message ?? $"{subject.Name} has {category}", [$"{subject.Kind} {subject.Name}: {category}"], cause);

    public static JsonObject Json(ObjectRef reference, JsonObject[] owners)
    {
        var metadata = new JsonObject { ["name"] = reference.Name, ["uid"] = reference.Uid };
        if (reference.Namespace.Length > 0)
        {
            metadata["namespace"] = reference.Namespace;
        }

        if (owners.Length > 0)
        {
            metadata["ownerReferences"] = new JsonArray([.. owners]);
        }

        return new JsonObject { ["apiVersion"] = reference.ApiVersion, ["kind"] = reference.Kind, ["metadata"] = metadata };
    }

    public static JsonObject Owner(ObjectRef owner, bool controller = true) => new()
    {
        ["apiVersion"] = owner.ApiVersion,
        ["kind"] = owner.Kind,
        ["name"] = owner.Name,
        ["uid"] = owner.Uid,
        ["controller"] = controller,
    };
}
