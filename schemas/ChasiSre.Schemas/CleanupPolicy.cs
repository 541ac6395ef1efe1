namespace ChasiSre.Schemas;

/// <summary>Kafka <c>cleanup.policy</c> of a topic.</summary>
public enum CleanupPolicy
{
    /// <summary>Segments older than the retention are deleted.</summary>
    Delete,

    /// <summary>Only the latest record per key is kept.</summary>
    Compact,
}
