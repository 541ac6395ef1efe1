namespace ChasiSre.Schemas;

/// <summary>Values of <see cref="RecordHeaders.ErrorKind"/>: why a record went to the dead-letter topic.</summary>
public static class DeadLetterKinds
{
    /// <summary>The bytes are not a valid message of the expected type.</summary>
    public const string Deserialize = "deserialize";

    /// <summary>The record names a schema or schema version this consumer does not know.</summary>
    public const string SchemaVersion = "schema-version";

    /// <summary>The record is larger than the consumer accepts.</summary>
    public const string Oversized = "oversized";

    /// <summary>A source (an API server, an adapter) returned data that could not be turned into a record.</summary>
    public const string Normalize = "normalize";

    /// <summary>The handler failed on every attempt.</summary>
    public const string Handler = "handler";
}
