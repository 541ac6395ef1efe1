using Google.Protobuf;

namespace ChasiSre.Sdk.Testing;

/// <summary>One call's result: the parsed message when <see cref="ProbeOutcome.Ok"/>, else the error code and what went wrong.</summary>
/// <remarks><c>Code</c>: gRPC status code name (<c>OK</c>, <c>UNAUTHENTICATED</c> ...); over HTTP derived from the status.</remarks>
/// <remarks><c>Problem</c>: Why the response is not what the contract asks (parse error, error body missing...). <c>Detail</c>: the error message the adapter sent.</remarks>
internal sealed record ProbeResult(ProbeOutcome Outcome, IMessage? Message, string Code, int? HttpStatus, long Bytes, TimeSpan Elapsed, string? Problem, string? Detail = null)
{
    public string Describe() => Outcome switch
    {
        ProbeOutcome.Ok => $"OK in {Elapsed.TotalMilliseconds:0} ms, {Bytes} bytes",
        ProbeOutcome.Error => $"{Code}{(HttpStatus is { } s ? $" (HTTP {s})" : "")}{(Detail is null ? "" : ": " + Detail)}{(Problem is null ? "" : "; " + Problem)}",
        ProbeOutcome.Timeout => $"no answer within {Elapsed.TotalMilliseconds:0} ms",
        ProbeOutcome.TooLarge => $"response too large: {Problem}",
        ProbeOutcome.Malformed => $"malformed response: {Problem}",
        _ => $"unreachable: {Problem}",
    };
}
