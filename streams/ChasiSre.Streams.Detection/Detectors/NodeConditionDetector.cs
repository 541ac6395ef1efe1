using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// Host nodes whose standard conditions say trouble: Ready not True (<see cref="IncidentCategory.NodeFailure"/>), Memory,
/// Disk or PID pressure True or Unknown (<see cref="IncidentCategory.NodePressure"/>), NetworkUnavailable True. Only these
/// five types are judged: k8sgpt flags any other condition (node-problem-detector's, a CSI driver's ...) that is not
/// False (#1461). A pressure finding lists the pods the node evicted, on the host and in every vCluster (through their fake
/// nodes), with their tenants. vCluster fake nodes are skipped: the host node is the subject.
/// </summary>
public sealed class NodeConditionDetector : IDetector
{
    private static readonly string[] PressureTypes = ["MemoryPressure", "DiskPressure", "PIDPressure"];
    private const int MaxPodsListed = 10;

    public string Name => "node.conditions";

    public IReadOnlyCollection<string> Kinds { get; } = ["Node"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "Node" || VClusters.IsFakeNode(subject))
        {
            yield break;
        }

        var reference = subject.Ref;
        var ready = KubeJson.Condition(subject.Json, "Ready");
        var readyStatus = ready is { } r ? KubeJson.Str(r, "status") : null;
        var events = state.Events(reference).TakeLast(4).Select(EvidenceText.Event).ToList();
        if (readyStatus is not null && readyStatus != "True")
        {
            yield return new Finding(Name, IncidentCategory.NodeFailure, reference, Severity.Critical, readyStatus == "Unknown" ? "NodeUnreachable" : "NodeNotReady",
                $"Node {reference.Name} is not Ready ({Reason(ready!.Value)}).",
                [ConditionLine(ready.Value), .. Taints(subject), .. events]);
        }

        var network = KubeJson.Condition(subject.Json, "NetworkUnavailable");
        if (network is { } n && KubeJson.Str(n, "status") == "True")
        {
            yield return new Finding(Name, IncidentCategory.NodeFailure, reference, Severity.Error, "NetworkUnavailable",
                $"Node {reference.Name} network is unavailable ({Reason(n)}).", [ConditionLine(n), .. events]);
        }

        var pressures = PressureTypes.Select(t => KubeJson.Condition(subject.Json, t))
            .OfType<System.Text.Json.JsonElement>()
            .Where(c => KubeJson.Str(c, "status") is "True" or "Unknown")
            .ToList();
        if (pressures.Count == 0)
        {
            yield break;
        }

        var types = pressures.Select(c => KubeJson.Str(c, "type")!).ToList();
        var evicted = EvictedPods(subject, state);
        var evidence = new List<string>();
        evidence.AddRange(pressures.Select(ConditionLine));
        evidence.AddRange(Taints(subject));
        evidence.AddRange(events);
        evidence.AddRange(evicted.Take(MaxPodsListed).Select(p => EvidenceText.Cut(
            $"evicted {Refs.Describe(p.Ref, withCluster: true)}{(p.Ref.Tenant.Length > 0 ? $" (tenant {p.Ref.Tenant})" : "")}: {KubeJson.Str(p.Json, "status", "message")}")));
        if (evicted.Count > MaxPodsListed)
        {
            evidence.Add($"{evicted.Count - MaxPodsListed} more evicted pods");
        }

        var tenants = evicted.Select(p => p.Ref.Tenant).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        yield return new Finding(Name, IncidentCategory.NodePressure, reference, Severity.Error, string.Join("+", types),
            $"Node {reference.Name} has {string.Join(" and ", types)}" + (evicted.Count > 0 ? $" and evicted {evicted.Count} pods of {Math.Max(tenants.Count, 1)} tenants." : "."),
            evidence)
        {
            Related = [.. evicted.Take(50).Select(p => p.Ref)],
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["conditions"] = string.Join(",", types),
                ["evictedPods"] = evicted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["evictedPodNames"] = EvidenceText.List(evicted.Select(p => $"{p.Ref.Cluster}:{Refs.NamespacedName(p.Ref)}"), 20),
                ["tenants"] = string.Join(",", tenants),
            },
        };
    }

    /// <summary>Evicted pods on the node: host pods, and virtual pods on the vClusters' fake node of the same name whose
    /// host twin is not already counted.</summary>
    private static List<KubeObject> EvictedPods(KubeObject node, IClusterState state)
    {
        static bool IsEvicted(KubeObject p) => KubeJson.Str(p.Json, "status", "reason") == "Evicted";
        var hostCluster = node.Ref.Cluster;
        var host = state.PodsOnNode(hostCluster, node.Ref.Name).Where(IsEvicted).ToList();
        var twins = host.Select(p => p.Ref.Twin).OfType<ObjectRef>().Select(t => (t.Cluster, t.Namespace, t.Name)).ToHashSet();
        var result = new List<KubeObject>();
        foreach (var pod in host)
        {
            // Prefer the tenant's view of a synced pod (its virtual original) when the state has it.
            var original = pod.Ref.Twin is { } t ? state.Find(t.Cluster, "Pod", t.Namespace, t.Name) : null;
            result.Add(original ?? pod);
        }

        foreach (var cluster in state.Clusters.Where(c => c != hostCluster))
        {
            result.AddRange(state.PodsOnNode(cluster, node.Ref.Name)
                .Where(p => IsEvicted(p) && (p.Ref.HostCluster.Length == 0 || p.Ref.HostCluster == hostCluster) && !twins.Contains((p.Ref.Cluster, p.Ref.Namespace, p.Ref.Name))));
        }

        return [.. result.DistinctBy(p => (p.Ref.Cluster, p.Ref.Namespace, p.Ref.Name)).OrderBy(p => p.Ref.Cluster, StringComparer.Ordinal).ThenBy(p => p.Ref.Name, StringComparer.Ordinal)];
    }

    private static string Reason(System.Text.Json.JsonElement condition) => KubeJson.Str(condition, "reason") ?? KubeJson.Str(condition, "status") ?? "?";

    private static string ConditionLine(System.Text.Json.JsonElement c) => EvidenceText.Cut(
        $"condition {KubeJson.Str(c, "type")}={KubeJson.Str(c, "status")} ({KubeJson.Str(c, "reason")}) since {KubeJson.Stamp(KubeJson.Time(c, "lastTransitionTime"))}: {KubeJson.Str(c, "message")}");

    private static IEnumerable<string> Taints(KubeObject node)
    {
        var taints = KubeJson.Items(node.Json, "spec", "taints").Select(t => $"{KubeJson.Str(t, "key")}:{KubeJson.Str(t, "effect")}").ToList();
        return taints.Count == 0 ? [] : [$"taints: {string.Join(", ", taints)}"];
    }
}
