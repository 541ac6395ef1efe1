using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// vCluster pods whose host side does not match, for longer than <see cref="Grace"/>: a virtual pod waiting while its host
/// twin is missing (no syncer error explains it: that is <see cref="VClusterSyncErrorDetector"/>'s), or a twin whose phase
/// or readiness differs from the virtual pod's (status desync, VCLUSTER.md failure 4: running on the host, Pending in the
/// vCluster). Judged only where the state watches the host and the vCluster's control plane is known.
/// </summary>
public sealed class VClusterTwinDetector : IDetector
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public string Name => "vcluster.twin";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind == "Pod" && subject.Ref.Layer == Layer.Host && subject.Ref.Twin is { } original
            && state.Find(original.Cluster, "Pod", original.Namespace, original.Name) is { } virtualPod)
        {
            // A host twin changed: judge its virtual original.
            subject = virtualPod;
        }

        return subject.Ref.Layer == Layer.Virtual ? PodFindings.ForWorkload(Name, subject, state, Probe) : [];
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var phase = KubeJson.Str(pod.Json, "status", "phase") ?? "Pending";
        if (pod.Ref.Layer != Layer.Virtual || phase is "Succeeded" or "Failed" || KubeJson.Has(pod.Json, "metadata", "deletionTimestamp")
            || !state.Clusters.Contains(pod.Ref.HostCluster) || VClusters.ControlPlaneOf(pod.Ref, state) is null
            || VClusters.ExpectedTwin(pod.Ref) is not { } expected || VClusterSyncErrorDetector.SyncErrors(pod, state).Count > 0)
        {
            return null;
        }

        var twin = VClusters.HostTwin(pod, state);
        if (twin is null)
        {
            var created = KubeJson.Time(pod.Json, "metadata", "creationTimestamp");
            if (created is null || state.Now - created.Value < Grace)
            {
                return null;
            }

            return new PodProblem(IncidentCategory.VClusterSync, Severity.Error, "TwinMissing",
                $"no host twin {expected.Namespace}/{expected.Name} after {(state.Now - created.Value).TotalMinutes:0} minutes",
                [PodFindings.StatusLine(pod), $"host twin {expected.Namespace}/{expected.Name} on {expected.Cluster}: missing", .. EvidenceText.Warnings(state, pod.Ref).TakeLast(2).Select(EvidenceText.Event)],
                VClusters.ControlPlaneOf(pod.Ref, state)?.Ref);
        }

        var twinPhase = KubeJson.Str(twin.Json, "status", "phase") ?? "Pending";
        var ready = Ready(pod);
        var twinReady = Ready(twin);
        if (twinPhase == phase && ready == twinReady)
        {
            return null;
        }

        var changed = KubeJson.Condition(twin.Json, "Ready") is { } c ? KubeJson.Time(c, "lastTransitionTime") : null;
        changed ??= KubeJson.Time(twin.Json, "status", "startTime");
        if (changed is null || state.Now - changed.Value < Grace)
        {
            return null;
        }

        return new PodProblem(IncidentCategory.VClusterSync, Severity.Warning, "StatusDesync",
            $"the vCluster shows {phase}{(ready ? " ready" : "")} but the host twin is {twinPhase}{(twinReady ? " ready" : "")} since {KubeJson.Stamp(changed)}",
            [$"virtual: {PodFindings.StatusLine(pod)}, ready {ready}", $"host twin: {PodFindings.StatusLine(twin)}, ready {twinReady}", .. state.Events(pod.Ref).Where(e => e.Message.Contains("Error updating pod", StringComparison.Ordinal)).TakeLast(1).Select(EvidenceText.Event)],
            VClusters.ControlPlaneOf(pod.Ref, state)?.Ref);
    }

    private static bool Ready(KubeObject pod) =>
        KubeJson.Condition(pod.Json, "Ready") is { } c && KubeJson.Str(c, "status") == "True";
}
