using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Sdk.Testing;

/// <summary>HTTP/JSON probe: strict protobuf JSON parsing (unknown fields are errors), bounded reads, a deadline per call.</summary>
internal sealed class HttpAdapterProbe(ConformanceOptions options) : IAdapterProbe
{
    private static readonly JsonParser StrictParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public static string PathOf(AdapterOperation operation) => operation switch
    {
        AdapterOperation.GetStatus => "chasi/v1/status",
        AdapterOperation.QueryLogs => "chasi/v1/logs",
        AdapterOperation.GetEvents => "chasi/v1/events",
        AdapterOperation.GetConfiguration => "chasi/v1/configuration",
        AdapterOperation.ListRunbooks => "chasi/v1/runbooks",
        _ => "chasi/v1/runbooks/execute",
    };

    public async Task<ProbeResult> CallAsync<TResponse>(AdapterOperation operation, IMessage request, string? token, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(options.CallTimeout, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var url = new Uri(EnsureSlash(options.Url!), PathOf(operation));
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(Formatter.Format(request), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var (body, tooLarge) = await ReadBoundedAsync(response.Content, options.MaxResponseBytes, linked.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            if (tooLarge)
            {
                return new ProbeResult(ProbeOutcome.TooLarge, null, "RESOURCE_EXHAUSTED", status, body.Length, elapsed,
                    $"more than {options.MaxResponseBytes} bytes");
            }

            var text = Encoding.UTF8.GetString(body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/json")
                {
                    return new ProbeResult(ProbeOutcome.Malformed, null, "OK", status, body.Length, elapsed,
                        $"content type '{response.Content.Headers.ContentType}' instead of application/json");
                }

                try
                {
                    return new ProbeResult(ProbeOutcome.Ok, StrictParser.Parse<TResponse>(text), "OK", status, body.Length, elapsed, null);
                }
                catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
                {
                    return new ProbeResult(ProbeOutcome.Malformed, null, "OK", status, body.Length, elapsed,
                        $"not a {new TResponse().Descriptor.FullName}: {ex.Message}");
                }
            }

            var code = CodeOf(response.StatusCode);
            string? problem;
            string? detail = null;
            try
            {
                var error = StrictParser.Parse<AdapterError>(text);
                detail = error.Message;
                problem = error.Code == code ? null : $"AdapterError.code '{error.Code}' does not match HTTP {status} ({code})";
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
            {
                problem = "error body is not an AdapterError";
            }

            return new ProbeResult(ProbeOutcome.Error, null, code, status, body.Length, elapsed, problem, detail);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.Timeout, null, "DEADLINE_EXCEEDED", null, 0, Stopwatch.GetElapsedTime(started), null);
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(ProbeOutcome.Unreachable, null, "UNAVAILABLE", null, 0, Stopwatch.GetElapsedTime(started), ex.Message);
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary>The gRPC code an HTTP status stands for (the mapping the SDK and the gateway use).</summary>
    public static string CodeOf(HttpStatusCode status) => (int)status switch
    {
        200 => "OK",
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        413 => "RESOURCE_EXHAUSTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };

    private static Uri EnsureSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    private static async Task<(byte[] Body, bool TooLarge)> ReadBoundedAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return (buffer.ToArray(), true);
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return (buffer.ToArray(), false);
    }
}
