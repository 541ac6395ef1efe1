namespace ChasiSre.Api;

/// <summary>An object's identity as the API shows it: layer lowercase (<c>host</c>, <c>virtual</c>, <c>business</c>).</summary>
public sealed record ObjectRefView(
    string Cluster,
    string Tenant,
    string Layer,
    string ApiVersion,
    string Kind,
    string Namespace,
    string Name,
    string Uid,
    string HostCluster,
    string HostNamespace);
