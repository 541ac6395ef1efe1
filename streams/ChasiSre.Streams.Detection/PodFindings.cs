using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// Turns per-pod problems into one finding per workload: the pod that changed is probed, then every pod of its workload,
/// and the pods with the same reason become one finding whose subject is the workload (k8sgpt reports each pod: 200
/// crashing replicas make 200 results). Whichever pod triggers it, the finding is the same.
/// </summary>
internal static class PodFindings
{
    private const int PodsWithFullEvidence = 2;
    private const int MaxRelated = 50;

    public delegate PodProblem? Probe(KubeObject pod, IClusterState state);

    public static IEnumerable<Finding> ForWorkload(string detector, KubeObject trigger, IClusterState state, Probe probe)
    {
        if (trigger.Ref.Kind != "Pod" || VClusters.IsMirroredTwin(trigger, state) || VClusters.IsControlPlane(trigger))
        {
            return [];
        }

        var own = probe(trigger, state);
        if (own is null)
        {
            return [];
        }

        var workload = Workloads.Of(trigger, state);
        var pods = Workloads.Pods(workload.Ref, state);
        if (!pods.Any(p => Refs.SameObject(p.Ref, trigger.Ref)))
        {
            pods = [.. pods.Append(trigger).OrderBy(p => p.Ref.Name, StringComparer.Ordinal)];
        }

        var affected = pods.Select(p => (Pod: p, Problem: Refs.SameObject(p.Ref, trigger.Ref) ? own : probe(p, state)))
            .Where(x => x.Problem is not null && x.Problem.Reason == own.Reason)
            .Select(x => (x.Pod, Problem: x.Problem!))
            .ToList();
        return [Build(detector, workload, pods.Count, affected)];
    }

    private static Finding Build(string detector, Workload workload, int podCount, List<(KubeObject Pod, PodProblem Problem)> affected)
    {
        var worst = affected.OrderByDescending(x => x.Problem.Severity).ThenBy(x => x.Pod.Ref.Name, StringComparer.Ordinal).First();
        var subject = workload.Ref;
        var isPod = subject.Kind == "Pod";
        var desired = Workloads.DesiredReplicas(workload.Object);
        var total = desired is > 0 ? Math.Max(desired.Value, podCount) : podCount;
        var names = affected.Select(x => x.Pod.Ref.Name).ToList();
        var message = isPod
            ? $"{Refs.Describe(subject)}: {worst.Problem.Summary}."
            : $"{Refs.Describe(subject)}: {affected.Count} of {total} pods affected, {worst.Problem.Summary}.";
        var evidence = new List<string>();
        foreach (var (pod, problem) in affected.Take(PodsWithFullEvidence))
        {
            evidence.AddRange(problem.Evidence);
        }

        if (affected.Count > PodsWithFullEvidence)
        {
            evidence.Add($"{affected.Count - PodsWithFullEvidence} more pods with the same problem: {EvidenceText.List(names.Skip(PodsWithFullEvidence))}");
        }

        var attributes = new Dictionary<string, string>(worst.Problem.Attributes, StringComparer.Ordinal)
        {
            ["pods"] = EvidenceText.List(names, 20),
            ["podCount"] = affected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new Finding(detector, worst.Problem.Category, subject, worst.Problem.Severity, worst.Problem.Reason, message, evidence.Distinct().ToList(), worst.Problem.Cause)
        {
            Attributes = attributes,
            Related = [.. affected.Select(x => x.Pod.Ref).Where(r => !Refs.SameObject(r, subject)).Take(MaxRelated)],
        };
    }

    /// <summary>The status line of a pod: <c>Pod shop/x phase Running, node worker-1</c>.</summary>
    public static string StatusLine(KubeObject pod)
    {
        var phase = KubeJson.Str(pod.Json, "status", "phase") ?? "Unknown";
        var node = KubeJson.Str(pod.Json, "spec", "nodeName");
        var reason = KubeJson.Str(pod.Json, "status", "reason");
        return $"{Refs.Describe(pod.Ref)} phase {phase}{(reason is null ? "" : $" ({reason})")}{(node is null ? "" : $" on node {node}")}";
    }

    /// <summary>Warning events about the pod with the given reasons, as evidence lines (newest last, at most <paramref name="max"/>).</summary>
    public static IEnumerable<string> EventLines(IClusterState state, ObjectRef pod, int max, params string[] reasons) =>
        EvidenceText.Warnings(state, pod, reasons).TakeLast(max).Select(EvidenceText.Event);

    public static bool IsJobPod(KubeObject pod) => KubeJson.Controller(pod.Json)?.Kind == "Job";
}
