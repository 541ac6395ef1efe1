using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// What detectors read: the current objects of every cluster (the host and its vClusters), the
/// events about them, recent log lines of pods, and the time. Read-only; implementations keep it
/// up to date from the topics (the streams topology) or from a one-shot scan.
/// </summary>
public interface IClusterState
{
    /// <summary>The time detectors judge against (the event time being processed, not the wall clock).</summary>
    DateTimeOffset Now { get; }

    /// <summary>One object of <paramref name="cluster"/> by kind, namespace and name (namespace null for cluster-scoped kinds).</summary>
    KubeObject? Find(string cluster, string kind, string? objectNamespace, string name);

    /// <summary>Objects of a kind in a cluster, optionally in one namespace.</summary>
    IEnumerable<KubeObject> List(string cluster, string kind, string? objectNamespace = null);

    /// <summary>
    /// Events about <paramref name="involved"/>: same cluster, kind, namespace and name, and the same
    /// uid when both carry one (an event about a deleted namesake does not count).
    /// </summary>
    IReadOnlyList<KubeEvent> Events(ObjectRef involved);

    /// <summary>Recent log lines of a pod (previous-container lines included), oldest first.</summary>
    IReadOnlyList<LogRecord> Logs(ObjectRef pod);

    /// <summary>The clusters known: <c>host</c> (or the host's name) and every vCluster.</summary>
    IReadOnlyCollection<string> Clusters { get; }

    /// <summary>
    /// Objects of <paramref name="kind"/> whose metadata.ownerReferences name <paramref name="owner"/> (same cluster and
    /// namespace, same owner kind and name, same uid when both carry one). The default scans <see cref="List"/>;
    /// <see cref="InMemoryClusterState"/> answers from an index.
    /// </summary>
    IEnumerable<KubeObject> ListOwnedBy(ObjectRef owner, string kind)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return List(owner.Cluster, kind, owner.Namespace.Length == 0 ? null : owner.Namespace)
            .Where(o => KubeJson.OwnerReferences(o.Json).Any(r => OwnerMatches(r, owner)));
    }

    /// <summary>Pods of <paramref name="cluster"/> whose spec.nodeName is <paramref name="node"/>. The default scans <see cref="List"/>.</summary>
    IEnumerable<KubeObject> PodsOnNode(string cluster, string node) =>
        List(cluster, "Pod").Where(p => KubeJson.Str(p.Json, "spec", "nodeName") == node);

    internal static bool OwnerMatches(OwnerReference reference, ObjectRef owner) =>
        reference.Kind == owner.Kind && reference.Name == owner.Name
        && (reference.Uid.Length == 0 || owner.Uid.Length == 0 || reference.Uid == owner.Uid);
}
