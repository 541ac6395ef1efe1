using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>The object an action would change, as the executor identifies it (mapped from the proposal's <c>ObjectRef</c>).</summary>
/// <param name="Cluster">Cluster name: the host cluster's for host objects, the vCluster's otherwise.</param>
/// <param name="Tenant">Tenant; empty only for platform-owned host objects.</param>
/// <param name="Layer">Host, virtual (the tenant's vCluster) or business.</param>
/// <param name="Kind">Object kind (<c>Deployment</c>, <c>Node</c>, <c>BusinessAdapter</c>).</param>
/// <param name="Namespace">Namespace; empty for cluster-scoped objects.</param>
/// <param name="Name">Object name.</param>
public sealed record ActionTarget(string Cluster, string Tenant, Layer Layer, string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Cluster}/{Kind}/{(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}";
}
