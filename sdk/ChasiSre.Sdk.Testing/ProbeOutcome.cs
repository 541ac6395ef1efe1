namespace ChasiSre.Sdk.Testing;

/// <summary>What came back from one call.</summary>
internal enum ProbeOutcome
{
    /// <summary>A success response that parsed as the expected message.</summary>
    Ok,

    /// <summary>An error status (gRPC status or HTTP 4xx/5xx).</summary>
    Error,

    /// <summary>No answer within the call timeout.</summary>
    Timeout,

    /// <summary>A success status whose body is not the expected message.</summary>
    Malformed,

    /// <summary>A response larger than the limit.</summary>
    TooLarge,

    /// <summary>No HTTP exchange at all (connection refused, reset).</summary>
    Unreachable,
}
