using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>Where signals go (<c>chasi.alerts.v1</c> in production).</summary>
public interface ISignalSink
{
    /// <summary>Publishes <paramref name="signal"/> and completes when it is durable; throws when it cannot be.</summary>
    Task PublishAsync(Signal signal, CancellationToken cancellationToken = default);
}
