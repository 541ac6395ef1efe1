using System.Text;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Schemas;

/// <summary>
/// Plain protobuf serializer and deserializer for Confluent.Kafka. The value is the message's
/// bytes; the type and contract version travel in the <see cref="RecordHeaders.Schema"/> and
/// <see cref="RecordHeaders.SchemaVersion"/> headers, so any language can read the topics
/// from the .proto files alone.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class ProtobufSerde<T> : ISerializer<T?>, IDeserializer<T?>
    where T : class, IMessage<T>, new()
{
    private static readonly MessageParser<T> Parser = new(() => new T());
    private static readonly string FullName = new T().Descriptor.FullName;
    private static readonly byte[] FullNameBytes = Encoding.UTF8.GetBytes(FullName);
    private static readonly byte[] VersionBytes = Encoding.UTF8.GetBytes(SchemaVersion.CurrentText);

    /// <summary>Protobuf full name of <typeparamref name="T"/>.</summary>
    public string SchemaName => FullName;

    public byte[] Serialize(T? data, SerializationContext context)
    {
        if (context.Headers is { } headers && context.Component == MessageComponentType.Value)
        {
            // Serializing the same message again (a retry by the caller) must not stack headers.
            for (var i = 0; i < headers.Count; i++)
            {
                if (headers[i].Key is RecordHeaders.Schema or RecordHeaders.SchemaVersion)
                {
                    headers.Remove(RecordHeaders.Schema);
                    headers.Remove(RecordHeaders.SchemaVersion);
                    break;
                }
            }

            headers.Add(RecordHeaders.Schema, FullNameBytes);
            headers.Add(RecordHeaders.SchemaVersion, VersionBytes);
        }

        return data is null ? null! : data.ToByteArray();
    }

    public T? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null;
        }

        if (context.Headers is { } headers)
        {
            CheckHeaders(headers);
        }

        try
        {
            return Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"Value is not a valid {FullName} message: {ex.Message}", ex);
        }
    }

    /// <summary>Throws <see cref="SchemaMismatchException"/> when the headers name another type or an unknown version.</summary>
    public void CheckHeaders(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetLastBytes(RecordHeaders.Schema, out var schema) && !schema.AsSpan().SequenceEqual(FullNameBytes))
        {
            throw new SchemaMismatchException(
                $"Record declares schema '{Encoding.UTF8.GetString(schema ?? [])}' but this consumer reads '{FullName}'.");
        }

        if (headers.TryGetLastBytes(RecordHeaders.SchemaVersion, out var version) && !version.AsSpan().SequenceEqual(VersionBytes))
        {
            throw new SchemaMismatchException(
                $"Record declares schema version '{Encoding.UTF8.GetString(version ?? [])}' of {FullName}; this consumer reads version {SchemaVersion.Current}.");
        }
    }
}
