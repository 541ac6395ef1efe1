using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Streamiz.Kafka.Net.SerDes;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// Serdes of the <see cref="DetectionTopology.StateStore"/> values. The changelog record of a store write carries the
/// headers of the record being processed (an <c>ObjectRecord</c>'s schema header when the inputs are not
/// repartitioned), so the schema header says nothing about the store's value: unlike the topic serdes this one does not
/// check it. Only this topology writes the store.
/// </summary>
internal sealed class DetectionStateSerDes : AbstractSerDes<DetectionInput?>
{
    public override DetectionInput? Deserialize(byte[] data, SerializationContext context) =>
        data is null ? null : DetectionInput.Parser.ParseFrom(data);

    public override byte[] Serialize(DetectionInput? data, SerializationContext context) =>
        data is null ? null! : data.ToByteArray();
}
