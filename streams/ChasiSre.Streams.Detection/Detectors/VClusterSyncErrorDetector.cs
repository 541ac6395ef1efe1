using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// vCluster pods the syncer cannot put on the host: SyncError / "Error syncing to physical cluster" / "Error updating pod"
/// events on the virtual pod, or on the vCluster's host control plane naming the pod's host twin. The subject is the
/// virtual workload (one finding for all its pods). The message decides the category and the cause: a host ResourceQuota
/// (<c>exceeded quota: vc-team-b</c>) is <see cref="IncidentCategory.QuotaExceeded"/> caused by that quota in the vCluster's
/// host namespace, a LimitRange likewise, PodSecurity or a webhook is <see cref="IncidentCategory.AdmissionRejected"/>
/// (VCLUSTER.md failures 1-4); anything else is <see cref="IncidentCategory.VClusterSync"/> caused by the control plane.
/// </summary>
public sealed class VClusterSyncErrorDetector : IDetector
{
    public string Name => "vcluster.sync-error";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return subject.Ref.Layer == Layer.Virtual ? PodFindings.ForWorkload(Name, subject, state, Probe) : [];
    }

    /// <summary>The syncer's error events about a virtual pod: its own, and its control plane's that name its host twin.</summary>
    internal static List<KubeEvent> SyncErrors(KubeObject pod, IClusterState state)
    {
        static bool IsSyncError(KubeEvent e) =>
            e.Reason == "SyncError"
            || e.Message.Contains("Error syncing to physical cluster", StringComparison.Ordinal)
            || e.Message.Contains("Error updating pod", StringComparison.Ordinal);

        var events = state.Events(pod.Ref).Where(IsSyncError).ToList();
        if (VClusters.ControlPlaneOf(pod.Ref, state) is { } controlPlane && VClusters.ExpectedTwin(pod.Ref) is { } twin)
        {
            events.AddRange(state.Events(controlPlane.Ref).Where(e => IsSyncError(e) && e.Message.Contains($"\"{twin.Name}\"", StringComparison.Ordinal)));
        }

        return events;
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var phase = KubeJson.Str(pod.Json, "status", "phase");
        if (pod.Ref.Layer != Layer.Virtual || phase is "Succeeded" or "Failed")
        {
            return null;
        }

        var errors = SyncErrors(pod, state);
        if (errors.Count == 0)
        {
            return null;
        }

        var latest = errors.MaxBy(e => e.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)!;
        var rejection = RejectionClassifier.Classify(latest.Message, state, pod.Ref, pod.Ref.HostCluster, pod.Ref.HostNamespace, Layer.Host);
        var controlPlane = VClusters.ControlPlaneOf(pod.Ref, state)?.Ref;
        var evidence = new List<string> { PodFindings.StatusLine(pod) };
        evidence.AddRange(errors.OrderBy(e => e.Involved.Layer).Take(2).Select(EvidenceText.Event));
        var twin = VClusters.ExpectedTwin(pod.Ref);
        if (twin is not null)
        {
            var hostTwin = VClusters.HostTwin(pod, state);
            evidence.Add(hostTwin is null ? $"host twin {twin.Namespace}/{twin.Name} on {twin.Cluster}: missing" : $"host twin: {PodFindings.StatusLine(hostTwin)}");
        }

        if (rejection?.Cause is { Kind: "ResourceQuota" } quotaRef && state.Find(quotaRef.Cluster, "ResourceQuota", quotaRef.Namespace, quotaRef.Name) is { } quota)
        {
            evidence.Add(QuotaUsage.Describe(quota));
        }

        var what = rejection?.Reason switch
        {
            "ExceededQuota" => $"the host rejects its twin: ResourceQuota {rejection.Detail} in {pod.Ref.HostNamespace} is exhausted",
            "LimitRange" => $"the host rejects its twin: a LimitRange in {pod.Ref.HostNamespace} forbids its resources",
            "PodSecurity" => $"the host rejects its twin: PodSecurity \"{rejection.Detail}\" of {pod.Ref.HostNamespace}",
            "WebhookDenied" => $"the host rejects its twin: admission webhook {rejection.Detail} denies it",
            _ => EvidenceText.Cut($"the syncer cannot sync it to the host: {latest.Message}"),
        };
        return new PodProblem(rejection?.Category ?? IncidentCategory.VClusterSync, Severity.Error, rejection?.Reason ?? "SyncError", what, evidence, rejection?.Cause ?? controlPlane)
        {
            Attributes = { ["layer"] = "host", ["hostNamespace"] = pod.Ref.HostNamespace, ["refusedBy"] = rejection?.Detail ?? "" },
        };
    }
}
