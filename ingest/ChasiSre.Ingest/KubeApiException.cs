using System.Net;

namespace ChasiSre.Ingest;

/// <summary>
/// The API server answered with an error status (or a watch delivered an ERROR event):
/// the HTTP code, the <c>Status</c> reason and message, and <c>Retry-After</c> when given.
/// </summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeApiException(HttpStatusCode statusCode, string reason, string message, TimeSpan? retryAfter = null)
        : base($"{(int)statusCode} {reason}: {message}")
    {
        StatusCode = statusCode;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status (410 Gone when a resourceVersion is too old, 429 when throttled).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>Status.reason</c> (Expired, TooManyRequests, NotFound ...), or the HTTP reason phrase.</summary>
    public string Reason { get; }

    /// <summary>The server's <c>Retry-After</c>, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True for 410 Gone: the resourceVersion is compacted; the caller must relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    /// <summary>True when retrying the same request later can succeed (429, 5xx, 408).</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)StatusCode >= 500;
}
