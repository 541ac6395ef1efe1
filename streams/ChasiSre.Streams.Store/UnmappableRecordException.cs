namespace ChasiSre.Streams.Store;

/// <summary>
/// A record the sink cannot turn into a row (no subject, no id, a resourceVersion that is not a
/// number, an empty oneof). Not transient: the consumer dead-letters the record.
/// </summary>
public sealed class UnmappableRecordException : Exception
{
    public UnmappableRecordException()
    {
    }

    public UnmappableRecordException(string message)
        : base(message)
    {
    }

    public UnmappableRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
