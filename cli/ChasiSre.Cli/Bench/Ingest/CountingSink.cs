using ChasiSre.Ingest;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Bench.Ingest;

/// <summary>Counts what passes to the real sink, for the benchmark's throughput figures.</summary>
internal sealed class CountingSink(IIngestSink inner) : IIngestSink
{
    private long records;

    public long Records => Interlocked.Read(ref records);

    public ValueTask PublishObjectAsync(ObjectRecord record, Action? onFailure, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref records);
        return inner.PublishObjectAsync(record, onFailure, cancellationToken);
    }

    public ValueTask PublishEventAsync(KubeEvent record, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref records);
        return inner.PublishEventAsync(record, cancellationToken);
    }

    public ValueTask PublishLogAsync(LogRecord record, CancellationToken cancellationToken = default) => inner.PublishLogAsync(record, cancellationToken);

    public ValueTask PublishSignalAsync(Signal record, CancellationToken cancellationToken = default) => inner.PublishSignalAsync(record, cancellationToken);

    public ValueTask PublishDeadLetterAsync(string key, DeadLetter letter, CancellationToken cancellationToken = default) => inner.PublishDeadLetterAsync(key, letter, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
}
