namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Thrown by a record handler when the record is fine but a dependency is not (a store or a
/// model endpoint is down): the consumer retries it without limit, with capped backoff, and
/// never dead-letters it. <see cref="TimeoutException"/>, <see cref="HttpRequestException"/>
/// and <see cref="System.Net.Sockets.SocketException"/> count as transient too.
/// </summary>
public sealed class TransientFailureException : Exception
{
    public TransientFailureException()
    {
    }

    public TransientFailureException(string message)
        : base(message)
    {
    }

    public TransientFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether <paramref name="exception"/> (or an exception it wraps) says a dependency failed rather than the record.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TransientFailureException or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
