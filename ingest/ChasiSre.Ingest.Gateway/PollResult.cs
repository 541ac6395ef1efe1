namespace ChasiSre.Ingest.Gateway;

/// <summary>How one poll ended.</summary>
public enum PollResult
{
    /// <summary>Every call answered and everything was published (some items may have been dead-lettered).</summary>
    Ok,

    /// <summary>A call failed (timeout, unreachable, error status, refused token, unusable status): counts against the breaker.</summary>
    Failed,

    /// <summary>The adapter answered but Kafka did not take the records: the window is read again next time.</summary>
    PublishFailed,
}
