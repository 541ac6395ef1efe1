using System.Globalization;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Cli.Bench.Streams;

/// <summary>One record of the benchmark's input, serialized once: which input topic, its key and value.</summary>
/// <param name="Topic">Which input topic (<see cref="StreamsWorkload.Objects"/>, <see cref="StreamsWorkload.Events"/>, <see cref="StreamsWorkload.Logs"/>).</param>
/// <param name="Key">The record key.</param>
/// <param name="Value">The record value in the pool's first round.</param>
internal sealed record WorkloadRecord(int Topic, byte[] Key, byte[] Value)
{
    /// <summary>For an object snapshot, the object's number in the pool (its resourceVersion's low digits); -1 otherwise.</summary>
    public int Pod { get; init; } = -1;

    /// <summary>Where the resourceVersion's digits are in <see cref="Value"/>: the snapshot's field and its JSON's
    /// metadata.resourceVersion (an object snapshot only).</summary>
    public int[] VersionOffsets { get; init; } = [];

    /// <summary>The value to send in round <paramref name="round"/> of the pool. An object snapshot is a new version of its
    /// object every round (a status update as a watch delivers it: a new resourceVersion, in the snapshot and in its JSON),
    /// never a version sent before; events and log lines are the same records again.</summary>
    public byte[] ValueFor(long round)
    {
        if (Pod < 0 || round == 0)
        {
            return Value;
        }

        var value = (byte[])Value.Clone();
        var version = StreamsWorkload.ResourceVersion(round, Pod);
        foreach (var offset in VersionOffsets)
        {
            StreamsWorkload.WriteVersion(value.AsSpan(offset, StreamsWorkload.VersionDigits), version);
        }

        return value;
    }
}

/// <summary>
/// The streams benchmark's input: what ingest publishes for a busy platform of three host clusters (fleets) with
/// seven vClusters each: pod status updates (60 %, 1-3 KB snapshots of running pods), Kubernetes events (25 %, normal
/// scheduling and probe noise), and log lines (15 %). A pool of distinct records is cycled, so the state stays the
/// size of the pool while the record count grows; each round sends every pod as a new version (resourceVersion
/// <see cref="ResourceVersion"/>, fixed width so that the serialized record is patched in place, not rebuilt), so the
/// topology cannot take a round for a relist of versions it holds. <see cref="Crashloop"/> makes the records of a pod
/// that starts to crashloop: the latency probes.
/// </summary>
internal static class StreamsWorkload
{
    public const int Objects = 0;
    public const int Events = 1;
    public const int Logs = 2;
    public const int VersionDigits = 12;
    private const long FirstVersion = 100_000_000_000;
    private const long VersionsPerRound = 1_000_000;
    private static readonly string[] Fleets = ["prod-eu", "prod-us", "prod-ap"];

    /// <summary>The resourceVersion of pod <paramref name="pod"/> in round <paramref name="round"/>: twelve digits, growing
    /// round by round.</summary>
    public static long ResourceVersion(long round, int pod)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pod);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pod, (int)VersionsPerRound);
        var version = FirstVersion + (round * VersionsPerRound) + pod;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(version, FirstVersion * 10, nameof(round));
        return version;
    }

    /// <summary>Writes <paramref name="version"/> as <see cref="VersionDigits"/> ASCII digits.</summary>
    public static void WriteVersion(Span<byte> digits, long version)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (version % 10));
            version /= 10;
        }
    }

    public static List<WorkloadRecord> Pool(int size, int seed)
    {
        var random = new Random(seed);
        var pods = PodSnapshotGenerator.Generate(Math.Max(1, size * 60 / 100), 1024, 3072, seed);
        var records = new List<WorkloadRecord>(size);
        for (var i = 0; i < pods.Count; i++)
        {
            var snapshot = pods[i].Snapshot;
            var reference = snapshot.Ref;
            reference.HostCluster = Fleets[i % Fleets.Length];
            reference.HostNamespace = $"vcluster-{reference.Cluster}";
            reference.Twin.HostCluster = reference.HostCluster;

            // As the API server serves it: metadata carries the uid and the resourceVersion (the snapshot's too).
            var version = ResourceVersion(0, i).ToString(CultureInfo.InvariantCulture);
            snapshot.ResourceVersion = version;
            snapshot.ObjectJson = ByteString.CopyFromUtf8(snapshot.ObjectJson.ToStringUtf8().Replace(
                "\"metadata\":{", $"\"metadata\":{{\"uid\":\"{reference.Uid}\",\"resourceVersion\":\"{version}\",", StringComparison.Ordinal));
            var value = pods[i].ToByteArray();
            var offsets = Occurrences(value, Encoding.ASCII.GetBytes(version));
            if (offsets.Count != 2)
            {
                throw new InvalidOperationException($"the resourceVersion of pod {i} occurs {offsets.Count} times in its record, not twice");
            }

            records.Add(new WorkloadRecord(Objects, Encoding.UTF8.GetBytes(RecordKeys.ForObject(reference)), value) { Pod = i, VersionOffsets = [.. offsets] });
        }

        while (records.Count < size)
        {
            var pod = pods[random.Next(pods.Count)].Snapshot.Ref;
            if (random.Next(100) < 62)
            {
                var kubeEvent = Event(pod, random);
                records.Add(new WorkloadRecord(Events, Encoding.UTF8.GetBytes(RecordKeys.ForObject(pod)), kubeEvent.ToByteArray()));
            }
            else
            {
                var line = new LogRecord
                {
                    Source = pod,
                    Container = "app",
                    At = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(1_770_000_000 + records.Count)),
                    Level = LogLevel.Info,
                    Message = $"GET /api/cart/{random.Next(100_000)} 200 {random.Next(2, 90)}ms",
                    Id = $"{pod.Name}-{records.Count}",
                };
                records.Add(new WorkloadRecord(Logs, Encoding.UTF8.GetBytes(RecordKeys.ForObject(pod)), line.ToByteArray()));
            }
        }

        // Interleaved as a watch delivers them, not grouped by kind.
        return [.. records.OrderBy(_ => random.Next())];
    }

    /// <summary>A new bare pod of <paramref name="fleet"/>'s first vCluster that is crashlooping: one snapshot.</summary>
    public static WorkloadRecord Crashloop(string fleet, string name, DateTimeOffset at)
    {
        var reference = new ObjectRef
        {
            Cluster = "team-a",
            Tenant = "team-a",
            Layer = Layer.Virtual,
            ApiVersion = "v1",
            Kind = "Pod",
            Namespace = "probe",
            Name = name,
            Uid = Guid.NewGuid().ToString(),
            HostCluster = fleet,
            HostNamespace = "vcluster-team-a",
        };
        var since = at.AddMinutes(-9).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var json = $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"probe","uid":"{{{reference.Uid}}}","creationTimestamp":"{{{since}}}"},
             "spec":{"containers":[{"name":"app","image":"registry.example.com/probe/app:1.0"}],"nodeName":"worker-1"},
             "status":{"phase":"Running","startTime":"{{{since}}}","conditions":[{"type":"Ready","status":"False","lastTransitionTime":"{{{since}}}"}],
               "containerStatuses":[{"name":"app","ready":false,"restartCount":7,
                 "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=app"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","startedAt":"{{{since}}}","finishedAt":"{{{since}}}"
            """ + "}}}]}}";
        var record = new ObjectRecord
        {
            Snapshot = new ObjectSnapshot
            {
                Ref = reference,
                ResourceVersion = "1",
                ObservedAt = Timestamp.FromDateTimeOffset(at),
                CreatedAt = Timestamp.FromDateTimeOffset(at.AddMinutes(-9)),
                ObjectJson = ByteString.CopyFromUtf8(json),
            },
        };
        return new WorkloadRecord(Objects, Encoding.UTF8.GetBytes(RecordKeys.ForObject(reference)), record.ToByteArray());
    }

    private static List<int> Occurrences(byte[] value, byte[] text)
    {
        var offsets = new List<int>();
        for (var at = value.AsSpan().IndexOf(text); at >= 0;)
        {
            offsets.Add(at);
            var next = value.AsSpan(at + 1).IndexOf(text);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return offsets;
    }

    private static KubeEvent Event(ObjectRef pod, Random random)
    {
        var (reason, type, message) = random.Next(4) switch
        {
            0 => ("Pulled", "Normal", "Container image already present on machine"),
            1 => ("Started", "Normal", "Started container app"),
            2 => ("Scheduled", "Normal", $"Successfully assigned {pod.Namespace}/{pod.Name} to worker-{random.Next(1, 9)}"),
            _ => ("Killing", "Normal", "Stopping container app"),
        };
        var name = $"{pod.Name}.{random.NextInt64():x12}";
        return new KubeEvent
        {
            Event = new ObjectRef { Cluster = pod.Cluster, Tenant = pod.Tenant, Layer = pod.Layer, ApiVersion = "v1", Kind = "Event", Namespace = pod.Namespace, Name = name, HostCluster = pod.HostCluster, HostNamespace = pod.HostNamespace },
            Involved = pod,
            Reason = reason,
            Type = type,
            Message = message,
            Count = 1,
            FirstSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(1_770_000_000)),
            LastSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(1_770_000_000)),
        };
    }
}
