using Google.Protobuf;

namespace ChasiSre.Ingest.Gateway;

/// <summary>One adapter call's result: the message when <see cref="CallOutcome.Ok"/>, else the error.</summary>
/// <param name="Outcome">What came back.</param>
/// <param name="Message">The parsed response, for <see cref="CallOutcome.Ok"/>.</param>
/// <param name="Code">gRPC status code name (<c>OK</c>, <c>UNAUTHENTICATED</c> ...), over HTTP derived from the status.</param>
/// <param name="Detail">What went wrong, in words (never the token).</param>
/// <param name="Body">For <see cref="CallOutcome.Malformed"/> and <see cref="CallOutcome.TooLarge"/> over HTTP: the bytes received (up to the limit), for the dead letter.</param>
/// <param name="Bytes">Response size in bytes.</param>
/// <param name="Elapsed">Call duration.</param>
public sealed record CallResult<T>(CallOutcome Outcome, T? Message, string Code, string? Detail, ReadOnlyMemory<byte> Body, long Bytes, TimeSpan Elapsed)
    where T : class, IMessage<T>
{
    /// <summary>One line for logs and signals.</summary>
    public string Describe() => Outcome switch
    {
        CallOutcome.Ok => $"OK, {Bytes} bytes in {Elapsed.TotalMilliseconds:0} ms",
        CallOutcome.Timeout => $"no answer within {Elapsed.TotalMilliseconds:0} ms",
        _ => Detail is null ? Code : $"{Code}: {Detail}",
    };
}
