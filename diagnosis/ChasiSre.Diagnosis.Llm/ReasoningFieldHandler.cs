using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// OpenAI-compatible servers name the model's reasoning <c>reasoning_content</c> (DeepSeek, vLLM before
/// 0.10) or <c>reasoning</c> (vLLM 0.10+, OpenRouter, Ollama's OpenAI API). Microsoft.Extensions.AI.OpenAI
/// reads <c>reasoning_content</c> into <see cref="Microsoft.Extensions.AI.TextReasoningContent"/>; this
/// handler renames <c>reasoning</c> to it in JSON answers and in SSE <c>data:</c> lines, so both spellings
/// stay out of the answer text and arrive as reasoning content.
/// </summary>
internal sealed class ReasoningFieldHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType == "text/event-stream")
        {
            var original = response.Content;
            var stream = await original.ReadAsStreamAsync(cancellationToken);
            var replaced = new StreamContent(new SseLineRewriteStream(stream, original));
            CopyHeaders(original.Headers, replaced.Headers);
            response.Content = replaced;
        }
        else if (mediaType == "application/json")
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            string rewritten = body.Contains("\"reasoning\"", StringComparison.Ordinal) ? RewriteJson(body, "message") : body;
            var replaced = new StringContent(rewritten, Encoding.UTF8);
            CopyHeaders(response.Content.Headers, replaced.Headers);
            replaced.Headers.ContentLength = null;
            response.Content.Dispose();
            response.Content = replaced;
        }

        return response;
    }

    /// <summary>Renames <c>reasoning</c> to <c>reasoning_content</c> in <c>choices[*].{part}</c>; other JSON passes unchanged.</summary>
    internal static string RewriteJson(string json, string part)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return json; // Not ours to judge: the SDK reports malformed bodies itself.
        }

        bool changed = false;
        if (root?["choices"] is JsonArray choices)
        {
            foreach (var choice in choices)
            {
                if (choice?[part] is JsonObject target && target.ContainsKey("reasoning"))
                {
                    target.Remove("reasoning", out var reasoning);
                    if (!target.ContainsKey("reasoning_content") && reasoning is not null)
                    {
                        target["reasoning_content"] = reasoning;
                    }

                    changed = true;
                }
            }
        }

        return changed && root is not null ? root.ToJsonString() : json;
    }

    private static void CopyHeaders(HttpContentHeaders from, HttpContentHeaders to)
    {
        foreach (var header in from)
        {
            to.Remove(header.Key);
            to.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Passes an SSE stream through line by line, rewriting <c>data:</c> lines that carry a <c>reasoning</c> field.</summary>
    private sealed class SseLineRewriteStream(Stream inner, HttpContent owner) : Stream
    {
        private readonly MemoryStream _line = new();
        private byte[] _pending = [];
        private int _pendingOffset;
        private bool _innerDone;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_pendingOffset >= _pending.Length)
            {
                if (_innerDone)
                {
                    if (_line.Length == 0)
                    {
                        return 0;
                    }

                    Emit(_line.ToArray());
                    _line.SetLength(0);
                    break;
                }

                var chunk = new byte[4096];
                int read = await inner.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    _innerDone = true;
                    continue;
                }

                using var output = new MemoryStream();
                for (int i = 0; i < read; i++)
                {
                    _line.WriteByte(chunk[i]);
                    if (chunk[i] == (byte)'\n')
                    {
                        var rewritten = Rewrite(_line.ToArray());
                        output.Write(rewritten);
                        _line.SetLength(0);
                    }
                }

                Emit(output.ToArray());
            }

            int n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
            _pending.AsMemory(_pendingOffset, n).CopyTo(buffer);
            _pendingOffset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
                _line.Dispose();
            }

            base.Dispose(disposing);
        }

        private static byte[] Rewrite(byte[] line)
        {
            string text = Encoding.UTF8.GetString(line);
            if (!text.StartsWith("data:", StringComparison.Ordinal) || !text.Contains("\"reasoning\"", StringComparison.Ordinal))
            {
                return line;
            }

            string payload = text["data:".Length..].Trim();
            return Encoding.UTF8.GetBytes("data: " + RewriteJson(payload, "delta") + "\n");
        }

        private void Emit(byte[] bytes)
        {
            _pending = bytes;
            _pendingOffset = 0;
        }
    }
}
