using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>PersistentVolumeClaims that are Pending with a recent ProvisioningFailed event (k8sgpt's PVC check wants it to be
/// the latest event, which the CSI flow's repeated Normal ExternalProvisioning event hides), or naming a StorageClass that
/// does not exist, or Lost. A vCluster claim whose class exists only on the host names the host's class as its cause. Pending while waiting for the first consumer is normal and not a
/// finding. Host twins of vCluster claims are judged on the virtual side.</summary>
public sealed class PvcPendingDetector : IDetector
{
    /// <summary>How long after its last ProvisioningFailed event a Pending claim still counts as failing.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(10);

    public string Name => "pvc.pending";

    public IReadOnlyCollection<string> Kinds { get; } = ["PersistentVolumeClaim"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "PersistentVolumeClaim" || VClusters.IsMirroredTwin(subject, state))
        {
            yield break;
        }

        var reference = subject.Ref;
        var phase = KubeJson.Str(subject.Json, "status", "phase");
        var className = KubeJson.Str(subject.Json, "spec", "storageClassName");
        if (phase == "Lost")
        {
            yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "ClaimLost",
                $"{Refs.Describe(reference)} is Lost: its PersistentVolume {KubeJson.Str(subject.Json, "spec", "volumeName")} is gone.",
                [$"{Refs.Describe(reference)} phase Lost, volume {KubeJson.Str(subject.Json, "spec", "volumeName")}"]);
            yield break;
        }

        if (phase != "Pending")
        {
            yield break;
        }

        var events = state.Events(reference);
        var line = $"{Refs.Describe(reference)} phase Pending, storageClassName {className ?? "(default)"}, requested {KubeJson.Str(subject.Json, "spec", "resources", "requests", "storage") ?? "?"}";
        var (storageClass, classLine) = StorageClassOf(reference, className, state);
        if (RecentFailure(events, state.Now) is { } failure)
        {
            yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "ProvisioningFailed",
                EvidenceText.Cut($"{Refs.Describe(reference)} cannot be provisioned: {failure.Message}"),
                [line, EvidenceText.Event(failure), .. classLine is null ? [] : new[] { classLine }], storageClass);
            yield break;
        }

        var classesKnown = state.List(reference.Cluster, "StorageClass").Any() || classLine is not null;
        if (className is { Length: > 0 } && classesKnown && state.Find(reference.Cluster, "StorageClass", null, className) is null)
        {
            yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "StorageClassMissing",
                $"{Refs.Describe(reference)} asks for StorageClass {className}, which does not exist{(classLine is null ? "" : " in its vCluster")}.",
                [line, classLine ?? $"StorageClass {className} not found", .. events.TakeLast(1).Select(EvidenceText.Event)], classLine is null ? null : storageClass);
        }
    }

    // The newest ProvisioningFailed warning, when it is recent and no ProvisioningSucceeded came after it. The CSI
    // external-provisioner repeats a Normal ExternalProvisioning ("Waiting for a volume to be created ...") between its
    // retries, so the failure is often not the newest event; it retries with backoff, so a failure older than the window
    // is no longer current.
    private static KubeEvent? RecentFailure(IReadOnlyList<KubeEvent> events, DateTimeOffset now)
    {
        var failure = events.LastOrDefault(e => e is { Type: "Warning", Reason: "ProvisioningFailed" });
        if (failure is null || (failure.LastSeen is { } seen && now - seen.ToDateTimeOffset() > FailureWindow))
        {
            return null;
        }

        var failedAt = failure.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
        return events.Any(e => e.Reason == "ProvisioningSucceeded" && (e.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue) > failedAt) ? null : failure;
    }

    // The StorageClass a claim names: in its own cluster when there; for a vCluster claim whose class exists only on the
    // host, the host's class and a line saying the vCluster does not have it (storage classes are not synced from the host,
    // a platform setting); otherwise a reference to the missing class.
    private static (ObjectRef? Class, string? Line) StorageClassOf(ObjectRef claim, string? className, IClusterState state)
    {
        if (className is not { Length: > 0 })
        {
            return (null, null);
        }

        if (state.Find(claim.Cluster, "StorageClass", null, className) is { } own)
        {
            return (own.Ref, null);
        }

        if (claim.Layer == Layer.Virtual && claim.HostCluster.Length > 0 && state.Find(claim.HostCluster, "StorageClass", null, className) is { } host)
        {
            return (host.Ref, $"StorageClass {className} exists on the host cluster but not in vCluster {claim.Cluster}: the vCluster does not sync storage classes from the host");
        }

        return (Refs.Sibling(claim, "storage.k8s.io/v1", "StorageClass", null, className), null);
    }
}
