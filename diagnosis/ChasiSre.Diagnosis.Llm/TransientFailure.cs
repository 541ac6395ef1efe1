using System.ClientModel;
using System.Net;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Whether a failed attempt may succeed when repeated, and how long the server asked to wait.</summary>
internal readonly record struct TransientFailure(bool IsTransient, string Reason, TimeSpan? RetryAfter)
{
    private static readonly TransientFailure Permanent = new(false, "permanent", null);

    public static TransientFailure Classify(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Permanent;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case LlmProviderException provider:
                    return new(provider.IsTransient, ((int)provider.StatusCode!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), provider.RetryAfter);
                case LlmTimeoutException timeout:
                    return new(true, timeout.StreamStalled ? "stream-stalled" : "timeout", null);
                case LlmTokenBudgetExceededException:
                    return Permanent;
                case HttpRequestException { StatusCode: { } status }:
                    return new(LlmProviderException.IsTransientStatus(status), ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                case HttpRequestException:
                    return new(true, "connection", null);
                case ClientResultException { Status: > 0 } result:
                    return new(LlmProviderException.IsTransientStatus((HttpStatusCode)result.Status), result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                case IOException:
                    return new(true, "io", null);
            }
        }

        return Permanent;
    }
}
