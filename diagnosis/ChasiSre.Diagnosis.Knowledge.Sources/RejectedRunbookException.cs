namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// A runbook record that cannot be indexed (empty or oversized body, no tenant, an id that cannot name a source).
/// Thrown from the consumer's handler: the record is dead-lettered to <c>chasi.dlq.v1</c> with this message as the reason.
/// </summary>
public sealed class RejectedRunbookException : Exception
{
    public RejectedRunbookException()
    {
    }

    public RejectedRunbookException(string message)
        : base(message)
    {
    }

    public RejectedRunbookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
