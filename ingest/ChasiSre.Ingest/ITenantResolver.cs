namespace ChasiSre.Ingest;

/// <summary>Decides which tenant an object belongs to.</summary>
public interface ITenantResolver
{
    /// <summary>
    /// The tenant of a host object in <paramref name="hostNamespace"/>: the tenant of the vCluster
    /// whose control plane lives there, a tenant named by the namespace (Sealos <c>ns-&lt;user&gt;</c>),
    /// or empty for platform-owned namespaces and cluster-scoped objects.
    /// </summary>
    string TenantOfHostNamespace(string? hostNamespace);

    /// <summary>The tenant of vCluster <paramref name="vcluster"/> running in host namespace <paramref name="hostNamespace"/>.</summary>
    string TenantOfVCluster(string hostNamespace, string vcluster);
}
