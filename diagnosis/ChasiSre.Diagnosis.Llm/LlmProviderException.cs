using System.Net;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// The provider answered with an HTTP error. <see cref="RetryAfter"/> carries the server's
/// <c>Retry-After</c> (seconds or HTTP-date) when it sent one; <see cref="ResponseExcerpt"/> is the
/// start of the body, whatever its format (JSON, HTML from a proxy, plain text).
/// </summary>
public sealed class LlmProviderException : HttpRequestException
{
    public LlmProviderException(HttpStatusCode statusCode, TimeSpan? retryAfter, string responseExcerpt)
        : base($"LLM provider answered {(int)statusCode} {statusCode}: {responseExcerpt}", inner: null, statusCode)
    {
        RetryAfter = retryAfter;
        ResponseExcerpt = responseExcerpt;
    }

    public LlmProviderException()
    {
        ResponseExcerpt = string.Empty;
    }

    public LlmProviderException(string message)
        : base(message)
    {
        ResponseExcerpt = string.Empty;
    }

    public LlmProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
        ResponseExcerpt = string.Empty;
    }

    /// <summary>Delay the server asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>First characters of the error body.</summary>
    public string ResponseExcerpt { get; }

    /// <summary>Whether retrying may succeed: 408, 409, 425, 429 and 5xx except 501/505.</summary>
    public bool IsTransient => StatusCode is { } status && IsTransientStatus(status);

    internal static bool IsTransientStatus(HttpStatusCode status) => (int)status switch
    {
        408 or 409 or 425 or 429 => true,
        501 or 505 => false,
        >= 500 and < 600 => true,
        _ => false,
    };
}
