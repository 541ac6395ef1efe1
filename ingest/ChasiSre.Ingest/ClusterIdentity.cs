using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest;

/// <summary>
/// Who a watched cluster is: its name (<c>host</c>'s configured name, or the vCluster name),
/// its tenant, its layer, and for a vCluster the host cluster and host namespace it runs in.
/// Every record a watcher produces carries this identity in its <see cref="ObjectRef"/>.
/// </summary>
/// <param name="Cluster">The cluster name.</param>
/// <param name="Tenant">The tenant; empty for the host cluster (host objects get theirs from their namespace).</param>
/// <param name="Layer"><see cref="Layer.Host"/> or <see cref="Layer.Virtual"/>.</param>
/// <param name="HostCluster">The host cluster's name (equal to <paramref name="Cluster"/> for the host).</param>
/// <param name="HostNamespace">For a vCluster, the host namespace of its control plane; empty for the host.</param>
public sealed record ClusterIdentity(string Cluster, string Tenant, Layer Layer, string HostCluster, string HostNamespace)
{
    /// <summary>The host cluster called <paramref name="name"/>.</summary>
    public static ClusterIdentity Host(string name) => new(name, "", Layer.Host, name, "");

    /// <summary>The vCluster <paramref name="name"/> of <paramref name="tenant"/>, running in <paramref name="hostNamespace"/> of <paramref name="hostCluster"/>.</summary>
    public static ClusterIdentity VCluster(string name, string tenant, string hostCluster, string hostNamespace) =>
        new(name, tenant, Layer.Virtual, hostCluster, hostNamespace);

    /// <summary>A reference to an object of this cluster.</summary>
    public ObjectRef Ref(string apiVersion, string kind, string? @namespace, string name, string? uid, string? tenant = null) => new()
    {
        Cluster = Cluster,
        Tenant = tenant ?? Tenant,
        Layer = Layer,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = @namespace ?? "",
        Name = name,
        Uid = uid ?? "",
        HostCluster = HostCluster,
        HostNamespace = HostNamespace,
    };

    /// <inheritdoc />
    public override string ToString() => Layer == Layer.Host ? Cluster : $"{HostCluster}/{HostNamespace}/{Cluster}";
}
