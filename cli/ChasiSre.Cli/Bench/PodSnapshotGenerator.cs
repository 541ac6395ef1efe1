using System.Globalization;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Cli.Bench;

/// <summary>
/// Object snapshots shaped like what the watchers publish: a pod of a vCluster tenant with
/// labels, annotations, an owner, and a JSON body (containers, env, probes, status) of a
/// seeded random size between the bounds.
/// </summary>
internal static class PodSnapshotGenerator
{
    public static List<ObjectRecord> Generate(int count, int minBytes, int maxBytes, int seed)
    {
        var random = new Random(seed);
        var records = new List<ObjectRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var target = random.Next(minBytes, maxBytes + 1);
            var tenant = $"team-{(char)('a' + (i % 7))}";
            var name = $"checkout-{random.Next(100_000):x5}-{i:x5}";
            var record = new ObjectRecord
            {
                Snapshot = new ObjectSnapshot
                {
                    Ref = new ObjectRef
                    {
                        Cluster = tenant,
                        Tenant = tenant,
                        Layer = Layer.Virtual,
                        ApiVersion = "v1",
                        Kind = "Pod",
                        Namespace = "shop",
                        Name = name,
                        Uid = Guid.NewGuid().ToString(),
                        Twin = new ObjectRef { Cluster = "host", Tenant = tenant, Layer = Layer.Host, ApiVersion = "v1", Kind = "Pod", Namespace = $"vcluster-{tenant}", Name = $"{name}-x-shop-x-{tenant}" },
                    },
                    ResourceVersion = (1_000_000 + i).ToString(CultureInfo.InvariantCulture),
                    Generation = 1,
                    ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(1_770_000_000 + i)),
                    CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(1_769_990_000)),
                    Labels = { ["app"] = "checkout", ["pod-template-hash"] = "6d5f7c9b8", ["team"] = tenant },
                    Annotations = { ["kubectl.kubernetes.io/restartedAt"] = "2026-03-01T10:00:00Z" },
                    Owners = { new OwnerRef { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "checkout-6d5f7c9b8", Uid = Guid.NewGuid().ToString(), Controller = true } },
                },
            };
            var baseSize = record.CalculateSize();
            record.Snapshot.ObjectJson = ByteString.CopyFromUtf8(PodJson(name, tenant, Math.Max(256, target - baseSize), random));
            records.Add(record);
        }

        return records;
    }

    private static string PodJson(string name, string tenant, int targetBytes, Random random)
    {
        var json = new StringBuilder(targetBytes + 256);
        json.Append(CultureInfo.InvariantCulture, $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"shop","labels":{"app":"checkout","team":"{{{tenant}}}"}},"spec":{"serviceAccountName":"checkout","containers":[{"name":"app","image":"registry.example.com/shop/checkout:1.{{{random.Next(40)}}}.{{{random.Next(10)}}}","resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10},"env":[""");
        var env = 0;
        while (json.Length < targetBytes - 400)
        {
            if (env > 0)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $$"""{"name":"SETTING_{{env}}","value":"{{random.NextInt64():x16}}"}""");
            env++;
        }

        var ip = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}";
        json.Append("""]}]},"status":{"phase":"Running","podIP":" """.TrimEnd()).Append(ip).Append('"')
            .Append(""","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"app","ready":true,"restartCount":""")
            .Append(random.Next(5))
            .Append(""","state":{"running":{"startedAt":"2026-03-01T10:00:00Z"}}}]}}""");
        return json.ToString();
    }
}
