using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Evicted pods (phase Failed, reason Evicted): a <see cref="IncidentCategory.NodePressure"/> finding per workload
/// whose <see cref="Finding.Cause"/> is the host Node that evicted them (for a vCluster pod, the host node behind its fake node).</summary>
public sealed class PodEvictionDetector : IDetector
{
    public string Name => "pod.evicted";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (KubeJson.Str(pod.Json, "status", "reason") != "Evicted")
        {
            return null;
        }

        var node = KubeJson.Str(pod.Json, "spec", "nodeName");
        var message = KubeJson.Str(pod.Json, "status", "message") ?? "";
        var evidence = new List<string> { PodFindings.StatusLine(pod), EvidenceText.Cut($"eviction: {message}") };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 1, "Evicted"));
        var cause = node is null ? null : Refs.Host(state, pod.Ref, "v1", "Node", null, node);
        return new PodProblem(IncidentCategory.NodePressure, Severity.Warning, "Evicted", EvidenceText.Cut($"evicted from node {node ?? "?"}: {message}"), evidence, cause)
        {
            Attributes = { ["node"] = node ?? "" },
        };
    }
}
