using System.Collections.Concurrent;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics.Tests;

/// <summary>An in-memory <see cref="IMetricSink"/>: what a source published, in order.</summary>
internal sealed class RecordingMetricSink : IMetricSink
{
    public ConcurrentQueue<MetricSample> Samples { get; } = new();

    public ConcurrentQueue<Signal> Signals { get; } = new();

    public ConcurrentQueue<(string Key, DeadLetter Letter)> DeadLetters { get; } = new();

    public ValueTask PublishSampleAsync(MetricSample sample, CancellationToken cancellationToken = default)
    {
        Samples.Enqueue(sample);
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishSignalAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        Signals.Enqueue(signal);
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default)
    {
        DeadLetters.Enqueue((key, letter));
        return ValueTask.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public IReadOnlyList<MetricSample> Named(string name) => Samples.Where(s => s.Name == name).ToList();
}
