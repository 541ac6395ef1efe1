namespace ChasiSre.Sdk.Testing;

/// <summary>How the conformance kit talks to the adapter (the value of the <c>chasi.io/adapter</c> annotation).</summary>
public enum AdapterTransport
{
    /// <summary>HTTP/JSON: <c>POST {url}/chasi/v1/{operation}</c> with protobuf JSON.</summary>
    Http,

    /// <summary>gRPC service <c>chasi.v1.BusinessAdapter</c> (cleartext HTTP/2 for <c>http://</c> URLs).</summary>
    Grpc,
}
