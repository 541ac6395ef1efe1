using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Containers the runtime cannot create or start: CreateContainerConfigError (a missing ConfigMap, Secret or
/// key), CreateContainerError, PreCreateHookError, PreStartHookError, RunContainerError. One finding per workload.</summary>
public sealed class PodContainerConfigDetector : IDetector
{
    private static readonly HashSet<string> Reasons = new(["CreateContainerConfigError", "CreateContainerError", "PreCreateHookError", "PreStartHookError", "RunContainerError"], StringComparer.Ordinal);

    public string Name => "pod.container-config";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var waiting = ContainerStatus.Of(pod).FirstOrDefault(c => c.WaitingReason is { } r && Reasons.Contains(r));
        if (waiting is null)
        {
            return null;
        }

        var evidence = new List<string> { PodFindings.StatusLine(pod), waiting.Describe() };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 3, "Failed", "FailedPostStartHook", "FailedPreStopHook"));
        var summary = $"container {waiting.Name} cannot start: {waiting.WaitingReason}" + (string.IsNullOrEmpty(waiting.WaitingMessage) ? "" : $" ({waiting.WaitingMessage})");

        // A vCluster pod whose ConfigMap or Secret the host refused to sync misses the twin, not the tenant's object: the
        // cause is what refused it (a webhook, a quota) or the syncer.
        ObjectRef? cause = null;
        if (VClusterSyncErrorDetector.SyncRejection(pod, state) is { } sync)
        {
            cause = sync.Rejection?.Cause ?? VClusters.ControlPlaneOf(pod.Ref, state)?.Ref;
            evidence.Add($"the host twin of {Refs.Describe(sync.Refused)} was not created: the syncer reports SyncError");
        }

        return new PodProblem(IncidentCategory.ConfigError, Severity.Error, waiting.WaitingReason!, EvidenceText.Cut(summary), evidence, cause)
        {
            Attributes = { ["container"] = waiting.Name, ["waitingReason"] = waiting.WaitingReason! },
        };
    }
}
