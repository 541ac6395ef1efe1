using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Platform.Kafka.Tests;

internal static class Records
{
    /// <summary>A pod snapshot of roughly <paramref name="jsonBytes"/> bytes, numbered by <paramref name="n"/>.</summary>
    public static ObjectRecord Pod(int n, int jsonBytes = 256)
    {
        var name = $"checkout-{n}";
        var json = $$"""{"metadata":{"name":"{{name}}","namespace":"shop"},"status":{"phase":"Running"},"pad":"{{new string('x', Math.Max(0, jsonBytes - 90))}}"}""";
        return new ObjectRecord
        {
            Snapshot = new ObjectSnapshot
            {
                Ref = new ObjectRef { Cluster = "team-a", Tenant = "team-a", Layer = Layer.Virtual, ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = name, Uid = $"uid-{n}" },
                ResourceVersion = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ObjectJson = ByteString.CopyFromUtf8(json),
            },
        };
    }

    public static int Number(ObjectRecord record) =>
        int.Parse(record.Snapshot.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
}
