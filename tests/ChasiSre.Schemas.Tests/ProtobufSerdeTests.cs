using System.Diagnostics;
using System.Text;
using ChasiSre.Schemas.Streamiz;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Schemas.Tests;

public sealed class ProtobufSerdeTests
{
    private static Incident SampleIncident() => new()
    {
        Id = "inc-1",
        Tenant = "team-a",
        Title = "checkout crashloops",
        Severity = Severity.Error,
        State = IncidentState.Open,
        Subject = new ObjectRef
        {
            Cluster = "team-a",
            Tenant = "team-a",
            Layer = Layer.Virtual,
            ApiVersion = "v1",
            Kind = "Pod",
            Namespace = "shop",
            Name = "checkout-x",
            Twin = new ObjectRef { Cluster = "host", Layer = Layer.Host, Kind = "Pod", Namespace = "vcluster-team-a", Name = "checkout-x-x-shop-x-team-a" },
        },
        OpenedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero)),
        Revision = 3,
    };

    [Fact]
    public void Serialize_ThenDeserialize_RoundTripsAndWritesSchemaHeaders()
    {
        var serde = new ProtobufSerde<Incident>();
        var headers = new Headers();
        var context = new SerializationContext(MessageComponentType.Value, TopicCatalog.Incidents.Name, headers);

        var bytes = serde.Serialize(SampleIncident(), context);
        var back = serde.Deserialize(bytes, false, context);

        Assert.Equal(SampleIncident(), back);
        Assert.Equal("chasi.v1.Incident", Encoding.UTF8.GetString(headers.GetLastBytes(RecordHeaders.Schema)));
        Assert.Equal("1", Encoding.UTF8.GetString(headers.GetLastBytes(RecordHeaders.SchemaVersion)));
    }

    [Fact]
    public void Serialize_Twice_KeepsOneSetOfSchemaHeaders()
    {
        var serde = new ProtobufSerde<Incident>();
        var headers = new Headers();
        var context = new SerializationContext(MessageComponentType.Value, "t", headers);
        serde.Serialize(SampleIncident(), context);
        serde.Serialize(SampleIncident(), context);
        Assert.Equal(2, headers.Count);
    }

    [Theory]
    [InlineData(RecordHeaders.SchemaVersion, "2", "schema version '2'")]
    [InlineData(RecordHeaders.Schema, "chasi.v1.Diagnosis", "schema 'chasi.v1.Diagnosis'")]
    public void Deserialize_UnknownSchemaOrVersion_ThrowsSchemaMismatchNamingIt(string header, string value, string expected)
    {
        var serde = new ProtobufSerde<Incident>();
        var headers = new Headers { { header, Encoding.UTF8.GetBytes(value) } };
        var bytes = SampleIncident().ToByteArray();

        var error = Assert.Throws<SchemaMismatchException>(() => serde.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, "t", headers)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_Garbage_ThrowsInvalidDataNamingTheType()
    {
        var serde = new ProtobufSerde<Incident>();
        var error = Assert.Throws<InvalidDataException>(() => serde.Deserialize(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF }, false, default));
        Assert.Contains("chasi.v1.Incident", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_KafkaTombstone_IsNull()
    {
        Assert.Null(new ProtobufSerde<Incident>().Deserialize([], true, default));
    }

    [Fact]
    public void StreamizSerDes_ReadsWhatTheConfluentSerdeWrote()
    {
        var headers = new Headers();
        var context = new SerializationContext(MessageComponentType.Value, "t", headers);
        var bytes = new ProtobufSerde<Incident>().Serialize(SampleIncident(), context);
        Assert.Equal(SampleIncident(), new ProtobufSerDes<Incident>().Deserialize(bytes, context));
    }

    [Fact]
    public void TraceContext_InjectThenExtract_KeepsTraceAndSpan()
    {
        using var activity = new Activity("produce").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";
        var headers = new Headers();

        TraceContext.Inject(activity, headers);
        var context = TraceContext.Extract(headers);

        Assert.Equal(activity.TraceId, context.TraceId);
        Assert.Equal(activity.SpanId, context.SpanId);
        Assert.Equal("vendor=1", context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void TraceContext_ExtractMalformed_IsDefault()
    {
        var headers = new Headers { { RecordHeaders.TraceParent, "not-a-traceparent"u8.ToArray() } };
        Assert.Equal(default, TraceContext.Extract(headers));
    }
}
