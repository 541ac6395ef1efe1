namespace ChasiSre.Sdk;

/// <summary>Why <see cref="BusinessPublisher"/> reports to its failure listeners.</summary>
public enum PublishFailureKind
{
    /// <summary>Records were dropped because the queue was full (reported once per batch, with the count since the last report).</summary>
    QueueFull,

    /// <summary>A batch failed and will be retried after a backoff.</summary>
    Retrying,

    /// <summary>A batch failed its last attempt; its records are dropped.</summary>
    Abandoned,

    /// <summary>A record was larger than <see cref="PublisherOptions.MaxRecordBytes"/> and was dropped.</summary>
    TooLarge,
}
