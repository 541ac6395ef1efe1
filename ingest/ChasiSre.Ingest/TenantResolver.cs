using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ChasiSre.Ingest;

/// <summary>
/// Tenants from what discovery knows and from a namespace naming pattern: a vCluster's tenant
/// is the <c>chasi.io/tenant</c> label of its workload, else the tenant its host namespace names
/// (Sealos: <c>ns-&lt;user&gt;</c>), else the vCluster's name. Host objects in a vCluster's host
/// namespace belong to that vCluster's tenant.
/// </summary>
public sealed class TenantResolver : ITenantResolver
{
    /// <summary>Label on a vCluster workload (or a host namespace) naming its tenant.</summary>
    public const string TenantLabel = "chasi.io/tenant";

    private readonly Regex? namespacePattern;
    private readonly ConcurrentDictionary<string, (string VCluster, string Tenant)> byHostNamespace = new(StringComparer.Ordinal);

    /// <summary>Creates a resolver.</summary>
    /// <param name="namespacePattern">A pattern with a <c>tenant</c> group that names the tenant of a host namespace, or null.</param>
    public TenantResolver(Regex? namespacePattern) => this.namespacePattern = namespacePattern;

    /// <summary>Records the tenant of a discovered vCluster.</summary>
    public void SetVCluster(string hostNamespace, string vcluster, string tenant) => byHostNamespace[hostNamespace] = (vcluster, tenant);

    /// <summary>Forgets vCluster <paramref name="vcluster"/> of <paramref name="hostNamespace"/> (another vCluster's mapping there is kept).</summary>
    public void RemoveVCluster(string hostNamespace, string vcluster)
    {
        if (byHostNamespace.TryGetValue(hostNamespace, out var known) && known.VCluster == vcluster)
        {
            byHostNamespace.TryRemove(KeyValuePair.Create(hostNamespace, known));
        }
    }

    /// <summary>The tenant a host namespace's name implies, or empty.</summary>
    public string TenantFromNamespaceName(string? @namespace)
    {
        if (string.IsNullOrEmpty(@namespace) || namespacePattern is null)
        {
            return "";
        }

        var match = namespacePattern.Match(@namespace);
        return match.Success && match.Groups["tenant"] is { Success: true } group ? group.Value : "";
    }

    /// <inheritdoc />
    public string TenantOfHostNamespace(string? hostNamespace) =>
        !string.IsNullOrEmpty(hostNamespace) && byHostNamespace.TryGetValue(hostNamespace, out var vcluster)
            ? vcluster.Tenant
            : TenantFromNamespaceName(hostNamespace);

    /// <inheritdoc />
    public string TenantOfVCluster(string hostNamespace, string vcluster) =>
        byHostNamespace.TryGetValue(hostNamespace, out var known) && known.VCluster == vcluster
            ? known.Tenant
            : TenantFromNamespaceName(hostNamespace) is { Length: > 0 } fromName ? fromName : vcluster;
}
