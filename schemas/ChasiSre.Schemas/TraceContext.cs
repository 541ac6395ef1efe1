using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace ChasiSre.Schemas;

/// <summary>W3C trace context in Kafka record headers.</summary>
public static class TraceContext
{
    /// <summary>Writes <c>traceparent</c> (and <c>tracestate</c>) of <paramref name="activity"/> into <paramref name="headers"/>.</summary>
    public static void Inject(Activity? activity, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } id)
        {
            return;
        }

        headers.Remove(RecordHeaders.TraceParent);
        headers.Add(RecordHeaders.TraceParent, Encoding.ASCII.GetBytes(id));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Remove(RecordHeaders.TraceState);
            headers.Add(RecordHeaders.TraceState, Encoding.ASCII.GetBytes(activity.TraceStateString));
        }
    }

    /// <summary>Reads the parent context from <paramref name="headers"/>; default when absent or malformed.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(RecordHeaders.TraceParent, out var parent) || parent is null)
        {
            return default;
        }

        string? state = headers.TryGetLastBytes(RecordHeaders.TraceState, out var s) && s is not null ? Encoding.ASCII.GetString(s) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, isRemote: true, out var context)
            ? context
            : default;
    }
}
