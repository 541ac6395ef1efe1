namespace ChasiSre.Ingest.Metrics.Tests;

/// <summary>
/// A read-only stream whose content is produced on demand (a hostile target that never ends),
/// counting what the reader consumed: proves a parser stops early instead of buffering everything.
/// </summary>
internal sealed class GeneratedStream(Func<long, byte[]> chunk, long length) : Stream
{
    private byte[] current = [];
    private int position;
    private long chunks;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (BytesRead >= length)
        {
            return 0;
        }

        if (position >= current.Length)
        {
            current = chunk(chunks++);
            position = 0;
        }

        var n = (int)Math.Min(Math.Min(count, current.Length - position), length - BytesRead);
        Array.Copy(current, position, buffer, offset, n);
        position += n;
        BytesRead += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
