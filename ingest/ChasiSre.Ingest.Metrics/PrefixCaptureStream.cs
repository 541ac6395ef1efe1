namespace ChasiSre.Ingest.Metrics;

/// <summary>A read-only pass-through stream that keeps the first bytes read, for the dead letter of a rejected body.</summary>
internal sealed class PrefixCaptureStream(Stream inner, int capacity) : Stream
{
    private readonly byte[] prefix = new byte[capacity];
    private int captured;

    /// <summary>True when more was read than was kept.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The bytes kept.</summary>
    public ReadOnlyMemory<byte> Prefix => prefix.AsMemory(0, captured);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Keep(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Keep(ReadOnlySpan<byte> read)
    {
        var room = Math.Min(prefix.Length - captured, read.Length);
        read[..room].CopyTo(prefix.AsSpan(captured));
        captured += room;
        Truncated |= room < read.Length;
        return read.Length;
    }
}
