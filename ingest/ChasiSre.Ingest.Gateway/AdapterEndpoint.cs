using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// One adapter as discovered: the Pod or Service that carries the annotations (in the cluster it
/// belongs to: a vCluster's pod is described by its virtual identity, found through its host twin),
/// where to reach it and how to authenticate. The tenant is the gateway's decision, never the adapter's.
/// </summary>
/// <param name="Source">The annotated Pod or Service (cluster, tenant, layer, namespace, name).</param>
/// <param name="Transport">gRPC or HTTP/JSON.</param>
/// <param name="Address">Base address, e.g. <c>http://10.42.0.17:8081/</c>.</param>
/// <param name="TokenSecret">Where the bearer token is, or null for an adapter without authentication.</param>
/// <param name="Interval">Poll interval.</param>
public sealed record AdapterEndpoint(ObjectRef Source, AdapterTransport Transport, Uri Address, SecretReference? TokenSecret, TimeSpan Interval)
{
    /// <summary>Stable identity of the adapter: the record key of its source object.</summary>
    public string Key { get; } = RecordKeys.ForObject(Source);

    /// <inheritdoc />
    public override string ToString() => $"{Key} ({Transport.ToString().ToLowerInvariant()} {Address})";
}
