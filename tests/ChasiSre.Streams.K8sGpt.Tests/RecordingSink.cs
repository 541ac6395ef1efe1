using System.Collections.Concurrent;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.K8sGpt.Tests;

/// <summary>A sink that keeps what it was given (for tests where Kafka is not the point).</summary>
internal sealed class RecordingSink : ISignalSink
{
    public ConcurrentQueue<Signal> Signals { get; } = new();

    public Task PublishAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        Signals.Enqueue(signal);
        return Task.CompletedTask;
    }
}
