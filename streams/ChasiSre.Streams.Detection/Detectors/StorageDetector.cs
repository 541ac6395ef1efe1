using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Storage checks: a StorageClass with the no-provisioner provisioner (claims must be bound by hand),
/// more than one default StorageClass, PersistentVolumes Released (with reclaim policy Retain: data kept, volume unusable)
/// or Failed.</summary>
public sealed class StorageDetector : IDetector
{
    private const string DefaultAnnotation = "storageclass.kubernetes.io/is-default-class";

    public string Name => "storage.config";

    public IReadOnlyCollection<string> Kinds { get; } = ["StorageClass", "PersistentVolume"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var reference = subject.Ref;
        if (reference.Kind == "StorageClass")
        {
            if (KubeJson.Str(subject.Json, "provisioner") == "kubernetes.io/no-provisioner")
            {
                yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Info, "NoProvisioner",
                    $"StorageClass {reference.Name} has no provisioner: its claims wait for PersistentVolumes created by hand.", ["provisioner kubernetes.io/no-provisioner"]);
            }

            if (KubeJson.Annotation(subject, DefaultAnnotation) == "true")
            {
                var defaults = state.List(reference.Cluster, "StorageClass").Where(c => KubeJson.Annotation(c, DefaultAnnotation) == "true").Select(c => c.Ref.Name).Order(StringComparer.Ordinal).ToList();
                if (defaults.Count > 1)
                {
                    yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Warning, "MultipleDefaults",
                        $"{defaults.Count} StorageClasses are marked default ({string.Join(", ", defaults)}); claims without a class get whichever the API server picks.",
                        [$"default StorageClasses: {string.Join(", ", defaults)}"]);
                }
            }

            yield break;
        }

        if (reference.Kind != "PersistentVolume")
        {
            yield break;
        }

        var phase = KubeJson.Str(subject.Json, "status", "phase");
        if (phase is "Released" or "Failed")
        {
            var claim = $"{KubeJson.Str(subject.Json, "spec", "claimRef", "namespace")}/{KubeJson.Str(subject.Json, "spec", "claimRef", "name")}";
            yield return new Finding(Name, IncidentCategory.Storage, reference, phase == "Failed" ? Severity.Error : Severity.Info, "Volume" + phase,
                $"PersistentVolume {reference.Name} is {phase} (was bound to {claim}).",
                [EvidenceText.Cut($"PersistentVolume {reference.Name} phase {phase}, reclaimPolicy {KubeJson.Str(subject.Json, "spec", "persistentVolumeReclaimPolicy")}, claim {claim}{(KubeJson.Str(subject.Json, "status", "message") is { } m ? $": {m}" : "")}")]);
        }
    }
}
