using BenchmarkDotNet.Attributes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Benchmarks;

/// <summary>
/// The managed cost a protobuf record adds on the produce path, per record of ~5 KB: the
/// baseline copies the same bytes (what the raw side of <c>chasi bench kafka</c> hands to
/// librdkafka); the serde serializes and writes the schema headers.
/// </summary>
[MemoryDiagnoser]
public class ProtobufSerdeBenchmarks
{
    private readonly ProtobufSerde<ObjectRecord> serde = new();
    private ObjectRecord record = null!;
    private byte[] bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        record = new ObjectRecord
        {
            Snapshot = new ObjectSnapshot
            {
                Ref = new ObjectRef { Cluster = "team-a", Tenant = "team-a", Layer = Layer.Virtual, ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "checkout-6d5f7c9b8-x2x9p", Uid = Guid.NewGuid().ToString() },
                ResourceVersion = "1000001",
                Labels = { ["app"] = "checkout", ["pod-template-hash"] = "6d5f7c9b8" },
                ObjectJson = ByteString.CopyFromUtf8(new string('x', 5000)),
            },
        };
        bytes = record.ToByteArray();
    }

    [Benchmark(Baseline = true)]
    public byte[] CopyRawBytes() => (byte[])bytes.Clone();

    [Benchmark]
    public byte[] SerializeWithHeaders() => serde.Serialize(record, new SerializationContext(MessageComponentType.Value, "t", []));

    [Benchmark]
    public ObjectRecord? DeserializeCheckingHeaders()
    {
        var headers = new Headers { { RecordHeaders.Schema, "chasi.v1.ObjectRecord"u8.ToArray() }, { RecordHeaders.SchemaVersion, "1"u8.ToArray() } };
        return serde.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, "t", headers));
    }
}
