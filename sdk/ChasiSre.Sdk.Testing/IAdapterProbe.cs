using Google.Protobuf;

namespace ChasiSre.Sdk.Testing;

/// <summary>Calls one operation of an adapter over one transport.</summary>
internal interface IAdapterProbe : IDisposable
{
    Task<ProbeResult> CallAsync<TResponse>(AdapterOperation operation, IMessage request, string? token, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new();
}
