using Grpc.Core;

namespace ChasiSre.Sdk;

/// <summary>An answer other than success, with its gRPC code and HTTP status (both transports report the same).</summary>
internal sealed class AdapterCallException(StatusCode code, int httpStatus, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public int HttpStatus { get; } = httpStatus;

    /// <summary>The gRPC code name as written in <c>AdapterError.code</c>, e.g. <c>UNAUTHENTICATED</c>.</summary>
    public string CodeName => CodeNames.Of(Code);

    public static AdapterCallException Unauthenticated(string message) => new(StatusCode.Unauthenticated, 401, message);

    public static AdapterCallException InvalidArgument(string message) => new(StatusCode.InvalidArgument, 400, message);

    public static AdapterCallException NotFound(string message) => new(StatusCode.NotFound, 404, message);

    public static AdapterCallException Unimplemented(string message) => new(StatusCode.Unimplemented, 501, message);

    public static AdapterCallException RequestTooLarge(string message) => new(StatusCode.ResourceExhausted, 413, message);

    public static AdapterCallException ResponseTooLarge(string message) => new(StatusCode.ResourceExhausted, 500, message);

    public static AdapterCallException DeadlineExceeded(string message) => new(StatusCode.DeadlineExceeded, 504, message);

    public static AdapterCallException Cancelled(string message) => new(StatusCode.Cancelled, 499, message);

    public static AdapterCallException Internal(string message) => new(StatusCode.Internal, 500, message);
}
