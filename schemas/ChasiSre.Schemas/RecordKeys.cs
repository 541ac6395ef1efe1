using ChasiSre.Schemas.V1;

namespace ChasiSre.Schemas;

/// <summary>
/// Record keys of the catalog's topics, built in one place so every producer partitions and
/// compacts alike. Keys are opaque to consumers; they include the host cluster and the
/// vCluster's host namespace because a vCluster name is unique only within its host namespace,
/// and the API group because two groups may both define a kind of the same name.
/// </summary>
public static class RecordKeys
{
    /// <summary>The cluster part: <c>host</c> for a host cluster, <c>host/hostNamespace/vcluster</c> for a vCluster.</summary>
    public static string ForCluster(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var host = reference.HostCluster.Length > 0 ? reference.HostCluster : reference.Cluster;
        return reference.HostNamespace.Length > 0 ? $"{host}/{reference.HostNamespace}/{reference.Cluster}" : host;
    }

    /// <summary>Key of <c>chasi.k8s.objects.v1</c> (and of signals about the object): cluster, group, kind, namespace, name.</summary>
    public static string ForObject(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "core" : reference.ApiVersion[..slash];
        return $"{ForCluster(reference)}/{group}/{reference.Kind}/{reference.Namespace}/{reference.Name}";
    }

    /// <summary>Key of <c>chasi.metrics.v1</c>: the subject's cluster, then the series.</summary>
    public static string ForSeries(MetricSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return sample.Subject is { } subject ? $"{ForCluster(subject)}/{sample.Series}" : sample.Series;
    }

    /// <summary>
    /// The partition of a fleet-partitioned topic for a record key: a stable hash (32-bit FNV-1a) of the key's first
    /// segment, the host cluster (<see cref="ForCluster"/>), modulo <paramref name="partitionCount"/>. Producers that
    /// all use it put a host cluster and all its vClusters on the same partition of every such topic, so a consumer
    /// grouping by fleet needs no repartition.
    /// </summary>
    public static int FleetPartition(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var end = key.IndexOf((byte)'/');
        var fleet = end < 0 ? key : key[..end];
        var hash = 2166136261u;
        foreach (var b in fleet)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }
}
