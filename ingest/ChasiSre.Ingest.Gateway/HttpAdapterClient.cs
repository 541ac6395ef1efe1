using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// HTTP/JSON client of one adapter: <c>POST {address}chasi/v1/{operation}</c> with protobuf JSON over a
/// shared connection pool, a deadline per call and a bounded read (the body is never buffered beyond
/// the limit). Unknown JSON fields are ignored (a newer adapter may add some); anything else that is
/// not the expected message is <see cref="CallOutcome.Malformed"/>.
/// </summary>
internal sealed class HttpAdapterClient(HttpClient http, Uri address, TimeSpan timeout, int maxResponseBytes, TimeProvider timeProvider) : IAdapterClient
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private static readonly byte[] EmptyRequest = "{}"u8.ToArray();
    private readonly Uri status = new(address, "chasi/v1/status");
    private readonly Uri events = new(address, "chasi/v1/events");
    private readonly Uri logs = new(address, "chasi/v1/logs");
    private readonly Uri runbooks = new(address, "chasi/v1/runbooks");

    public Task<CallResult<GetStatusResponse>> GetStatusAsync(string? token, CancellationToken cancellationToken = default) =>
        CallAsync(status, EmptyRequest, token, GetStatusResponse.Parser, cancellationToken);

    public Task<CallResult<GetEventsResponse>> GetEventsAsync(GetEventsRequest request, string? token, CancellationToken cancellationToken = default) =>
        CallAsync(events, Encoding.UTF8.GetBytes(Formatter.Format(request)), token, GetEventsResponse.Parser, cancellationToken);

    public Task<CallResult<QueryLogsResponse>> QueryLogsAsync(QueryLogsRequest request, string? token, CancellationToken cancellationToken = default) =>
        CallAsync(logs, Encoding.UTF8.GetBytes(Formatter.Format(request)), token, QueryLogsResponse.Parser, cancellationToken);

    public Task<CallResult<ListRunbooksResponse>> ListRunbooksAsync(string? token, CancellationToken cancellationToken = default) =>
        CallAsync(runbooks, EmptyRequest, token, ListRunbooksResponse.Parser, cancellationToken);

    public void Dispose()
    {
        // The HttpClient is shared by every HTTP adapter; its owner disposes it.
    }

    private async Task<CallResult<T>> CallAsync<T>(Uri url, byte[] body, string? token, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            // Read at most the limit (the first bytes go to the dead letter when it is exceeded).
            var (bytes, length, tooLarge) = await ReadBoundedAsync(response.Content, linked.Token);
            if (tooLarge)
            {
                var size = response.Content.Headers.ContentLength is { } declared ? $"{declared} bytes" : "a response";
                return Fail<T>(CallOutcome.TooLarge, "RESOURCE_EXHAUSTED", $"{size} over the {maxResponseBytes}-byte limit", bytes, length, started);
            }

            var code = (int)response.StatusCode;
            if (code == 200)
            {
                if (response.Content.Headers.ContentType?.MediaType is { } media && !media.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    return Fail<T>(CallOutcome.Malformed, "OK", $"content type '{media}' instead of application/json", bytes, length, started);
                }

                try
                {
                    var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.Span);
                    var message = Parser.Parse<T>(text);
                    return new CallResult<T>(CallOutcome.Ok, message, "OK", null, default, length, Stopwatch.GetElapsedTime(started));
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or DecoderFallbackException or FormatException)
                {
                    return Fail<T>(CallOutcome.Malformed, "OK", $"not a {new T().Descriptor.FullName}: {e.Message}", bytes, length, started);
                }
            }

            var name = GrpcCodes.OfHttpStatus(code);
            var detail = ErrorDetail(bytes.Span) is { } adapterMessage ? $"HTTP {code}: {adapterMessage}" : $"HTTP {code}";
            var outcome = name switch
            {
                "UNAUTHENTICATED" => CallOutcome.Unauthenticated,
                "UNIMPLEMENTED" => CallOutcome.Unimplemented,
                "DEADLINE_EXCEEDED" => CallOutcome.Timeout,
                "UNAVAILABLE" => CallOutcome.Unavailable,
                _ => CallOutcome.Error,
            };
            return Fail<T>(outcome, name, detail, default, length, started);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Fail<T>(CallOutcome.Timeout, "DEADLINE_EXCEEDED", null, default, 0, started);
        }
        catch (HttpRequestException e)
        {
            return Fail<T>(CallOutcome.Unavailable, "UNAVAILABLE", e.Message, default, 0, started);
        }
        catch (IOException e)
        {
            return Fail<T>(CallOutcome.Unavailable, "UNAVAILABLE", e.Message, default, 0, started);
        }
    }

    private static CallResult<T> Fail<T>(CallOutcome outcome, string code, string? detail, ReadOnlyMemory<byte> body, long bytes, long started)
        where T : class, IMessage<T> =>
        new(outcome, null, code, detail, body, bytes, Stopwatch.GetElapsedTime(started));

    /// <summary>The message of an <see cref="AdapterError"/> body, cut short; null when the body is not one.</summary>
    private static string? ErrorDetail(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var error = Parser.Parse<AdapterError>(Encoding.UTF8.GetString(body));
            return error.Message.Length > 200 ? error.Message[..200] : error.Message;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            return null;
        }
    }

    private async Task<(ReadOnlyMemory<byte> Bytes, long Length, bool TooLarge)> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var initial = content.Headers.ContentLength is { } length && length <= maxResponseBytes ? (int)length : 16 * 1024;
        var buffer = new byte[Math.Max(initial, 256)];
        var used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                if (buffer.Length > maxResponseBytes)
                {
                    return (buffer.AsMemory(0, used), used, true);
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxResponseBytes + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(used), cancellationToken);
            if (read == 0)
            {
                return (buffer.AsMemory(0, used), used, false);
            }

            used += read;
            if (used > maxResponseBytes)
            {
                return (buffer.AsMemory(0, maxResponseBytes), used, true);
            }
        }
    }
}
