using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pending pods the scheduler cannot place (PodScheduled=False, reason Unschedulable, with its message and the
/// FailedScheduling events) and pods held by scheduling gates. One finding per workload. A vCluster pod that no host node
/// accepts for its node selector, node affinity or taints names its host twin as the cause: the host scheduler decided,
/// against host nodes and the twin the vCluster's sync made, so the cause lives on the host.</summary>
public sealed partial class PodUnschedulableDetector : IDetector
{
    public string Name => "pod.unschedulable";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (KubeJson.Str(pod.Json, "status", "phase") != "Pending")
        {
            return null;
        }

        var scheduled = KubeJson.Condition(pod.Json, "PodScheduled");
        var reason = scheduled is { } c && KubeJson.Str(c, "status") == "False" ? KubeJson.Str(c, "reason") : null;
        var gates = KubeJson.Items(pod.Json, "spec", "schedulingGates").Select(g => KubeJson.Str(g, "name")).OfType<string>().ToList();
        if (reason == "SchedulingGated" || (reason is null && gates.Count > 0 && scheduled is null))
        {
            return new PodProblem(IncidentCategory.Unschedulable, Severity.Info, "SchedulingGated",
                $"held by scheduling gates {string.Join(", ", gates)}",
                [PodFindings.StatusLine(pod), $"scheduling gates: {EvidenceText.List(gates)}"]);
        }

        if (reason != "Unschedulable")
        {
            return null;
        }

        var message = KubeJson.Str(scheduled!.Value, "message") ?? "";
        var evidence = new List<string> { PodFindings.StatusLine(pod), EvidenceText.Cut($"condition PodScheduled=False Unschedulable since {KubeJson.Stamp(KubeJson.Time(scheduled.Value, "lastTransitionTime"))}: {message}") };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 2, "FailedScheduling"));
        var hostTwin = NodePlacement().IsMatch(message) ? VClusters.HostTwin(pod, state) : null;
        if (hostTwin is not null)
        {
            evidence.Add(HostPlacementLine(hostTwin, state));
        }

        return new PodProblem(IncidentCategory.Unschedulable, Severity.Error, "Unschedulable", EvidenceText.Cut($"cannot be scheduled: {message}"), evidence, hostTwin?.Ref);
    }

    // A vCluster pod runs as its host twin, placed by the host scheduler on host nodes whose labels and taints the tenant
    // neither sees in full nor controls (the vCluster's sync settings may add node selectors and tolerations to the twin):
    // when the twin's node selector, node affinity or taints decide, the cause lives on the host.
    private static string HostPlacementLine(KubeObject twin, IClusterState state)
    {
        var selector = KubeJson.Map(twin.Json, "spec", "nodeSelector");
        var nodes = state.List(twin.Ref.Cluster, "Node").Where(n => !VClusters.IsFakeNode(n)).ToList();
        var matching = nodes.Count(n =>
        {
            var labels = KubeJson.Map(n.Json, "metadata", "labels");
            return selector.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value);
        });
        var what = selector.Count == 0
            ? "has no nodeSelector (node affinity or taints decide)"
            : $"has nodeSelector {string.Join(",", selector.Select(p => $"{p.Key}={p.Value}"))}, which {matching} of {nodes.Count} host nodes match";
        return EvidenceText.Cut($"host twin {Refs.Describe(twin.Ref, withCluster: true)} {what}; the host scheduler places it on host nodes");
    }

    [GeneratedRegex(@"didn't match Pod's node affinity|node affinity/selector|untolerated taint|had taints? that the pod didn't tolerate", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NodePlacement();
}
