using System.Net.Http.Headers;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Turns every non-success HTTP answer of a provider into an <see cref="LlmProviderException"/> with
/// the status, the parsed <c>Retry-After</c> and an excerpt of the body (which may be JSON, an HTML
/// page from a proxy, or plain text), so retries work the same for every provider SDK.
/// </summary>
internal sealed class ProviderErrorHandler(TimeProvider timeProvider) : DelegatingHandler
{
    internal const int ExcerptLength = 512;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string excerpt = await ReadExcerptAsync(response.Content, cancellationToken);
            throw new LlmProviderException(response.StatusCode, RetryAfter(response.Headers.RetryAfter, timeProvider.GetUtcNow()), excerpt);
        }
    }

    /// <summary>The delay a <c>Retry-After</c> header asks for: delta seconds, or an HTTP-date relative to <paramref name="now"/>.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<string> ReadExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        var buffer = new char[ExcerptLength];
        int read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        string text = new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }
}
