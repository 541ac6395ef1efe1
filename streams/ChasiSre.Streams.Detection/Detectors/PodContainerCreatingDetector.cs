using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Pods stuck in ContainerCreating (or PodInitializing) with FailedCreatePodSandBox, FailedMount or
/// FailedAttachVolume events: a volume or a referenced ConfigMap/Secret that does not mount, or a sandbox (CNI) that
/// cannot be created. One finding per workload.</summary>
public sealed class PodContainerCreatingDetector : IDetector
{
    public string Name => "pod.container-creating";

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

        var statuses = ContainerStatus.Of(pod);
        var creating = statuses.Count == 0 || statuses.Any(c => c.WaitingReason is "ContainerCreating" or "PodInitializing");
        if (!creating)
        {
            return null;
        }

        var failure = EvidenceText.Warnings(state, pod.Ref, "FailedCreatePodSandBox", "FailedMount", "FailedAttachVolume").LastOrDefault();
        if (failure is null)
        {
            return null;
        }

        var (category, reason) = failure.Reason switch
        {
            "FailedCreatePodSandBox" => (IncidentCategory.NetworkService, "FailedCreatePodSandBox"),
            _ when failure.Message.Contains("configmap", StringComparison.OrdinalIgnoreCase) || failure.Message.Contains("secret", StringComparison.OrdinalIgnoreCase)
                => (IncidentCategory.ConfigError, "FailedMountConfig"),
            _ => (IncidentCategory.Storage, failure.Reason),
        };
        var evidence = new List<string> { PodFindings.StatusLine(pod) };
        evidence.AddRange(statuses.Select(s => s.Describe()).Take(2));
        evidence.Add(EvidenceText.Event(failure));
        return new PodProblem(category, Severity.Error, reason, EvidenceText.Cut($"stuck creating containers: {failure.Reason}: {failure.Message}"), evidence);
    }
}
