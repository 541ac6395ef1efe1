using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>Subject references with the tenant rules of ingest: a host object's tenant comes from its namespace, a vCluster's objects belong to the vCluster's tenant.</summary>
internal static class MetricSubjects
{
    public static ObjectRef Pod(ClusterIdentity identity, ITenantResolver tenants, string @namespace, string name, string? uid) =>
        identity.Ref("v1", "Pod", @namespace, name, uid, TenantOf(identity, tenants, @namespace));

    public static ObjectRef Service(ClusterIdentity identity, ITenantResolver tenants, string @namespace, string name, string? uid) =>
        identity.Ref("v1", "Service", @namespace, name, uid, TenantOf(identity, tenants, @namespace));

    public static ObjectRef Node(ClusterIdentity identity, string name) =>
        identity.Ref("v1", "Node", null, name, null, identity.Layer == Layer.Host ? "" : identity.Tenant);

    private static string TenantOf(ClusterIdentity identity, ITenantResolver tenants, string @namespace) =>
        identity.Layer == Layer.Host ? tenants.TenantOfHostNamespace(@namespace) : identity.Tenant;
}
