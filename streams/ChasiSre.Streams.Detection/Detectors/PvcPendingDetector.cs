using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>PersistentVolumeClaims that are Pending with ProvisioningFailed as their latest event (k8sgpt's PVC check), or
/// naming a StorageClass that does not exist, or Lost. Pending while waiting for the first consumer is normal and not a
/// finding. Host twins of vCluster claims are judged on the virtual side.</summary>
public sealed class PvcPendingDetector : IDetector
{
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
        var latest = events.Count > 0 ? events[^1] : null;
        var line = $"{Refs.Describe(reference)} phase Pending, storageClassName {className ?? "(default)"}, requested {KubeJson.Str(subject.Json, "spec", "resources", "requests", "storage") ?? "?"}";
        if (latest is { Reason: "ProvisioningFailed" })
        {
            yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "ProvisioningFailed",
                EvidenceText.Cut($"{Refs.Describe(reference)} cannot be provisioned: {latest.Message}"), [line, EvidenceText.Event(latest)],
                className is null ? null : Refs.Resolve(state, reference, "storage.k8s.io/v1", "StorageClass", null, className));
            yield break;
        }

        if (className is { Length: > 0 } && state.List(reference.Cluster, "StorageClass").Any() && state.Find(reference.Cluster, "StorageClass", null, className) is null)
        {
            yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "StorageClassMissing",
                $"{Refs.Describe(reference)} asks for StorageClass {className}, which does not exist.", [line, $"StorageClass {className} not found", .. events.TakeLast(1).Select(EvidenceText.Event)]);
        }
    }
}
