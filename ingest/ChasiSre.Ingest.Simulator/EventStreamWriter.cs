using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace ChasiSre.Ingest.Simulator;

/// <summary>Newline-delimited JSON onto an HTTP response: one JSON value per line, flushed in batches.</summary>
internal sealed class EventStreamWriter : IDisposable
{
    private readonly PipeWriter _body;
    private long _unflushed;

    public EventStreamWriter(PipeWriter body)
    {
        _body = body;
        Json = new Utf8JsonWriter(body, SimulatorJson.WriterOptions);
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Bytes written since the last <see cref="FlushAsync"/>.</summary>
    public long Unflushed => _unflushed + Json.BytesPending;

    /// <summary>Ends the current value with a newline and starts a fresh one.</summary>
    public void EndLine()
    {
        Json.Flush();
        _unflushed += Json.BytesCommitted;
        _body.Write("\n"u8);
        _unflushed++;
        Json.Reset(_body);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Json.Flush();
        _unflushed = 0;
        Json.Reset(_body);
        await _body.FlushAsync(cancellationToken);
    }

    public void Dispose() => Json.Dispose();
}
