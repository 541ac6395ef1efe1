using Confluent.Kafka;
using Google.Protobuf;
using Streamiz.Kafka.Net.SerDes;

namespace ChasiSre.Schemas.Streamiz;

/// <summary>
/// Streamiz serdes for a ChasiSre protobuf message; same bytes and headers as
/// <see cref="ProtobufSerde{T}"/>, so topologies and plain consumers read each other's records.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class ProtobufSerDes<T> : AbstractSerDes<T?>
    where T : class, IMessage<T>, new()
{
    private readonly ProtobufSerde<T> serde = new();

    public override T? Deserialize(byte[] data, SerializationContext context) =>
        serde.Deserialize(data ?? [], data is null, context);

    public override byte[] Serialize(T? data, SerializationContext context) =>
        data is null ? null! : serde.Serialize(data, context);
}
