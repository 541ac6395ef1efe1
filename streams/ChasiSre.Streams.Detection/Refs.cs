using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>Building and describing object references.</summary>
internal static class Refs
{
    /// <summary>A reference to another object in the same cluster as <paramref name="near"/> (tenant, layer and host fields copied).</summary>
    public static ObjectRef Sibling(ObjectRef near, string apiVersion, string kind, string? objectNamespace, string name, string uid = "") => new()
    {
        Cluster = near.Cluster,
        Tenant = near.Tenant,
        Layer = near.Layer,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = objectNamespace ?? "",
        Name = name,
        Uid = uid,
        HostCluster = near.HostCluster,
        HostNamespace = near.HostNamespace,
    };

    /// <summary>The reference of an object in <paramref name="state"/> when it is there, else one built next to <paramref name="near"/>.</summary>
    public static ObjectRef Resolve(IClusterState state, ObjectRef near, string apiVersion, string kind, string? objectNamespace, string name) =>
        state.Find(near.Cluster, kind, objectNamespace, name)?.Ref ?? Sibling(near, apiVersion, kind, objectNamespace, name);

    /// <summary>A host object (cluster-scoped when <paramref name="objectNamespace"/> is null) seen from <paramref name="near"/>, in the state when there.</summary>
    public static ObjectRef Host(IClusterState state, ObjectRef near, string apiVersion, string kind, string? objectNamespace, string name)
    {
        var hostCluster = near.Layer == Layer.Host || near.HostCluster.Length == 0 ? near.Cluster : near.HostCluster;
        if (state.Find(hostCluster, kind, objectNamespace, name) is { } found)
        {
            return found.Ref;
        }

        return new ObjectRef
        {
            Cluster = hostCluster,
            Tenant = objectNamespace is null ? "" : near.Tenant,
            Layer = Layer.Host,
            ApiVersion = apiVersion,
            Kind = kind,
            Namespace = objectNamespace ?? "",
            Name = name,
            HostCluster = hostCluster,
        };
    }

    /// <summary><c>Deployment shop/checkout</c>, <c>Node worker-1</c>; prefixed with the cluster when <paramref name="withCluster"/>.</summary>
    public static string Describe(ObjectRef reference, bool withCluster = false)
    {
        var name = reference.Namespace.Length == 0 ? reference.Name : $"{reference.Namespace}/{reference.Name}";
        return withCluster ? $"{reference.Kind} {reference.Cluster}:{name}" : $"{reference.Kind} {name}";
    }

    public static string NamespacedName(ObjectRef reference) =>
        reference.Namespace.Length == 0 ? reference.Name : $"{reference.Namespace}/{reference.Name}";

    public static bool SameObject(ObjectRef a, ObjectRef b) =>
        a.Cluster == b.Cluster && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name;
}
