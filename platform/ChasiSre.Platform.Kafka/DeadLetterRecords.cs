using System.Globalization;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Builds the <see cref="TopicCatalog.DeadLetters"/> record for a rejected Kafka record, the same way for every consumer
/// (plain consumers and Streamiz topologies): the original bytes and headers in a <see cref="DeadLetter"/>, the error as
/// <c>chasi-error-*</c> headers, the original key as the key, trace headers carried over.
/// </summary>
public static class DeadLetterRecords
{
    /// <summary>Longest error message kept; longer ones are cut.</summary>
    public const int MaxErrorMessageLength = 2000;

    /// <summary>The dead-letter record for <paramref name="original"/>, at most <paramref name="maxRecordBytes"/> long
    /// (the original value, then its headers, are dropped when the letter would not fit).</summary>
    /// <param name="topic">Where the original was read.</param>
    /// <param name="partition">Its partition.</param>
    /// <param name="offset">Its offset.</param>
    /// <param name="original">The original record as read.</param>
    /// <param name="kind">One of <see cref="DeadLetterKinds"/>.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="rejectedBy">The consumer group or application that rejected it.</param>
    /// <param name="component">The component writing the letter (the <c>chasi-source</c> header).</param>
    /// <param name="at">When.</param>
    /// <param name="attempts">How many times it was handled before giving up (0 when it could not be read).</param>
    /// <param name="maxRecordBytes">Largest record the topic accepts.</param>
    public static Message<byte[]?, byte[]?> Create(
        string topic,
        int partition,
        long offset,
        Message<byte[]?, byte[]?> original,
        string kind,
        Exception error,
        string rejectedBy,
        string component,
        DateTimeOffset at,
        int attempts,
        int maxRecordBytes) =>
        Create(topic, partition, offset, original, kind, error.GetType().Name, error.Message, rejectedBy, component, at, attempts, maxRecordBytes);

    /// <summary>The dead-letter record for <paramref name="original"/> with an error given as type name and message.</summary>
    public static Message<byte[]?, byte[]?> Create(
        string topic,
        int partition,
        long offset,
        Message<byte[]?, byte[]?> original,
        string kind,
        string errorType,
        string errorMessage,
        string rejectedBy,
        string component,
        DateTimeOffset at,
        int attempts,
        int maxRecordBytes)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (errorMessage.Length > MaxErrorMessageLength)
        {
            errorMessage = errorMessage[..MaxErrorMessageLength];
        }

        var letter = new DeadLetter
        {
            OriginalTopic = topic,
            OriginalPartition = partition,
            OriginalOffset = offset,
            OriginalKey = original.Key is null ? ByteString.Empty : ByteString.CopyFrom(original.Key),
            OriginalValue = original.Value is null ? ByteString.Empty : ByteString.CopyFrom(original.Value),
            ErrorKind = kind,
            ErrorType = errorType,
            ErrorMessage = errorMessage,
            RejectedBy = rejectedBy,
            RejectedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at),
            Attempts = attempts,
            OriginalTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(original.Timestamp.UtcDateTime),
        };

        var headers = new Headers();
        foreach (var header in original.Headers ?? [])
        {
            var value = header.GetValueBytes();
            var copy = new KafkaHeader { Key = header.Key };
            if (value is not null)
            {
                copy.Value = ByteString.CopyFrom(value);
            }

            letter.OriginalHeaders.Add(copy);
            if (header.Key == RecordHeaders.Source && value is not null)
            {
                letter.OriginalSource = Encoding.UTF8.GetString(value);
            }

            if (header.Key is RecordHeaders.TraceParent or RecordHeaders.TraceState)
            {
                headers.Add(header.Key, value);
            }
        }

        // A dead letter must fit where its record did not: drop the bulk, keep the facts.
        if (letter.CalculateSize() > maxRecordBytes)
        {
            letter.OriginalValue = ByteString.Empty;
            letter.OriginalValueDropped = true;
            if (letter.CalculateSize() > maxRecordBytes)
            {
                letter.OriginalHeaders.Clear();
            }
        }

        AddText(headers, RecordHeaders.Schema, DeadLetter.Descriptor.FullName);
        AddText(headers, RecordHeaders.SchemaVersion, SchemaVersion.CurrentText);
        AddText(headers, RecordHeaders.Source, component);
        AddText(headers, RecordHeaders.ErrorKind, kind);
        AddText(headers, RecordHeaders.ErrorType, errorType);
        AddText(headers, RecordHeaders.ErrorMessage, errorMessage);
        AddText(headers, RecordHeaders.OriginalTopic, topic);
        AddText(headers, RecordHeaders.OriginalPartition, partition.ToString(CultureInfo.InvariantCulture));
        AddText(headers, RecordHeaders.OriginalOffset, offset.ToString(CultureInfo.InvariantCulture));
        AddText(headers, RecordHeaders.RejectedBy, rejectedBy);
        return new Message<byte[]?, byte[]?> { Key = original.Key, Value = letter.ToByteArray(), Headers = headers };
    }

    private static void AddText(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
