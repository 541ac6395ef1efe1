namespace ChasiSre.Ingest.Gateway;

/// <summary>What one adapter call came back with.</summary>
public enum CallOutcome
{
    /// <summary>A response that parsed as the expected message.</summary>
    Ok,

    /// <summary>The adapter does not implement the operation (no data, not a failure).</summary>
    Unimplemented,

    /// <summary>The token was refused (UNAUTHENTICATED / 401).</summary>
    Unauthenticated,

    /// <summary>No answer within the call timeout.</summary>
    Timeout,

    /// <summary>No exchange at all: connection refused or reset, name not resolved.</summary>
    Unavailable,

    /// <summary>Another error status from the adapter.</summary>
    Error,

    /// <summary>A response larger than the limit.</summary>
    TooLarge,

    /// <summary>A success status whose body is not the expected message.</summary>
    Malformed,
}
