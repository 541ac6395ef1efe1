using Grpc.Core;

namespace ChasiSre.Ingest.Gateway;

/// <summary>gRPC status code names, from gRPC codes and from the HTTP statuses the SDK maps them to.</summary>
internal static class GrpcCodes
{
    public static string OfHttpStatus(int status) => status switch
    {
        200 => "OK",
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        413 or 429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };

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
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.Unavailable => "UNAVAILABLE",
        _ => "INTERNAL",
    };
}
