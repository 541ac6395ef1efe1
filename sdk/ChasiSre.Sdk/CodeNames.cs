using Grpc.Core;

namespace ChasiSre.Sdk;

/// <summary>gRPC status code names as the gRPC specification spells them (<c>DEADLINE_EXCEEDED</c>).</summary>
internal static class CodeNames
{
    public static string Of(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => code.ToString().ToUpperInvariant(),
    };
}
