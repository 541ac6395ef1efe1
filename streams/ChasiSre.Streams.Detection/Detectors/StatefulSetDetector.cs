using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's StatefulSet checks: the governing Service (serviceName) missing, a volumeClaimTemplate naming a
/// StorageClass that does not exist, and the first ordinal pod that is missing or not Running (StatefulSets start pods in
/// order, so it blocks the rest). vCluster control planes are left to <see cref="VClusterControlPlaneDetector"/>.</summary>
public sealed class StatefulSetDetector : IDetector
{
    public string Name => "statefulset.health";

    public IReadOnlyCollection<string> Kinds { get; } = ["StatefulSet"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "StatefulSet" || VClusters.IsControlPlane(subject))
        {
            yield break;
        }

        var reference = subject.Ref;
        var ns = reference.Namespace;
        if (KubeJson.Str(subject.Json, "spec", "serviceName") is { Length: > 0 } serviceName && state.Find(reference.Cluster, "Service", ns, serviceName) is null)
        {
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Warning, "ServiceMissing",
                $"{Refs.Describe(reference)} names governing Service {serviceName}, which does not exist.",
                [$"spec.serviceName {serviceName}: Service {ns}/{serviceName} not found"], Refs.Sibling(reference, "v1", "Service", ns, serviceName));
        }

        var anyStorageClass = state.List(reference.Cluster, "StorageClass").Any();
        foreach (var template in KubeJson.Items(subject.Json, "spec", "volumeClaimTemplates"))
        {
            if (anyStorageClass && KubeJson.Str(template, "spec", "storageClassName") is { Length: > 0 } className
                && state.Find(reference.Cluster, "StorageClass", null, className) is null)
            {
                yield return new Finding(Name, IncidentCategory.Storage, reference, Severity.Error, "StorageClassMissing",
                    $"{Refs.Describe(reference)} volumeClaimTemplate {KubeJson.Str(template, "metadata", "name")} uses StorageClass {className}, which does not exist.",
                    [$"volumeClaimTemplate {KubeJson.Str(template, "metadata", "name")}: storageClassName {className} not found"]);
            }
        }

        var replicas = KubeJson.Long(subject.Json, "spec", "replicas") ?? 1;
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            var podName = $"{reference.Name}-{ordinal}";
            var pod = state.Find(reference.Cluster, "Pod", ns, podName);
            var phase = pod is null ? null : KubeJson.Str(pod.Json, "status", "phase");
            if (phase == "Running")
            {
                continue;
            }

            // Pod problems (crashes, pulls, scheduling) are reported by the pod detectors; a missing or stuck first
            // ordinal is what blocks the StatefulSet, so say which one.
            var updated = KubeJson.Time(subject.Json, "metadata", "creationTimestamp");
            if (pod is null && updated is { } created && state.Now - created < TimeSpan.FromMinutes(2))
            {
                yield break;
            }

            yield return new Finding(Name, IncidentCategory.RolloutStuck, reference, Severity.Warning, "OrdinalNotRunning",
                $"{Refs.Describe(reference)}: pod {podName} is {(pod is null ? "missing" : phase ?? "not running")}, so later ordinals wait.",
                [$"{Refs.Describe(reference)} replicas {replicas}, ready {KubeJson.Long(subject.Json, "status", "readyReplicas") ?? 0}",
                    pod is null ? $"Pod {ns}/{podName} does not exist" : PodFindings.StatusLine(pod)])
            {
                Related = pod is null ? [] : [pod.Ref],
            };
            yield break;
        }
    }
}
