namespace ChasiSre.Schemas;

/// <summary>Names of the Kafka record headers every ChasiSre record may carry.</summary>
public static class RecordHeaders
{
    /// <summary>Protobuf full name of the value, e.g. <c>chasi.v1.Incident</c>.</summary>
    public const string Schema = "chasi-schema";

    /// <summary>Major version of the contract package the value was written with ("1").</summary>
    public const string SchemaVersion = "chasi-schema-version";

    /// <summary>Component that produced the record, e.g. <c>ingest/watcher</c>.</summary>
    public const string Source = "chasi-source";

    /// <summary>W3C trace context.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>W3C trace state.</summary>
    public const string TraceState = "tracestate";

    /// <summary>On a dead letter: why it was rejected (see <see cref="DeadLetterKinds"/>).</summary>
    public const string ErrorKind = "chasi-error-kind";

    /// <summary>On a dead letter: the exception type name.</summary>
    public const string ErrorType = "chasi-error-type";

    /// <summary>On a dead letter: the error message (truncated).</summary>
    public const string ErrorMessage = "chasi-error-message";

    /// <summary>On a dead letter: topic the record came from.</summary>
    public const string OriginalTopic = "chasi-original-topic";

    /// <summary>On a dead letter: partition the record came from.</summary>
    public const string OriginalPartition = "chasi-original-partition";

    /// <summary>On a dead letter: offset the record had.</summary>
    public const string OriginalOffset = "chasi-original-offset";

    /// <summary>On a dead letter: the consumer group or component that rejected it.</summary>
    public const string RejectedBy = "chasi-rejected-by";
}
