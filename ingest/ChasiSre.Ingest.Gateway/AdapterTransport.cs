namespace ChasiSre.Ingest.Gateway;

/// <summary>How the gateway talks to an adapter (the value of <c>chasi.io/adapter</c>).</summary>
public enum AdapterTransport
{
    /// <summary>gRPC service <c>chasi.v1.BusinessAdapter</c>, cleartext HTTP/2.</summary>
    Grpc,

    /// <summary>HTTP/JSON: <c>POST /chasi/v1/{operation}</c> with protobuf JSON.</summary>
    Http,
}
