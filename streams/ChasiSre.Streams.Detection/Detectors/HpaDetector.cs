using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's HPA checks: ScalingLimited=True (unless the HPA sits at minReplicas, which is normal), AbleToScale
/// or ScalingActive False (metrics unavailable, target not scalable), the scale target missing, and resource metrics on a
/// target whose containers have no requests for that resource (utilization cannot be computed).</summary>
public sealed class HpaDetector : IDetector
{
    private static readonly string[] ConditionTypes = ["AbleToScale", "ScalingActive"];

    public string Name => "hpa.health";

    public IReadOnlyCollection<string> Kinds { get; } = ["HorizontalPodAutoscaler"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "HorizontalPodAutoscaler")
        {
            yield break;
        }

        var reference = subject.Ref;
        var targetKind = KubeJson.Str(subject.Json, "spec", "scaleTargetRef", "kind") ?? "?";
        var targetName = KubeJson.Str(subject.Json, "spec", "scaleTargetRef", "name") ?? "?";
        var target = state.Find(reference.Cluster, targetKind, reference.Namespace, targetName);
        var current = KubeJson.Long(subject.Json, "status", "currentReplicas");
        var min = KubeJson.Long(subject.Json, "spec", "minReplicas") ?? 1;
        var max = KubeJson.Long(subject.Json, "spec", "maxReplicas");
        var replicasLine = $"{Refs.Describe(reference)} target {targetKind}/{targetName}, replicas current {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, desired {KubeJson.Long(subject.Json, "status", "desiredReplicas")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, min {min}, max {max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";
        if (target is null)
        {
            yield return new Finding(Name, IncidentCategory.Autoscaling, reference, Severity.Error, "TargetMissing",
                $"{Refs.Describe(reference)} scales {targetKind} {targetName}, which does not exist.", [replicasLine, $"{targetKind} {reference.Namespace}/{targetName} not found"]);
            yield break;
        }

        foreach (var type in ConditionTypes)
        {
            if (KubeJson.Condition(subject.Json, type) is { } c && KubeJson.Str(c, "status") == "False")
            {
                yield return new Finding(Name, IncidentCategory.Autoscaling, reference, Severity.Error, KubeJson.Str(c, "reason") ?? type,
                    EvidenceText.Cut($"{Refs.Describe(reference)} cannot scale: {KubeJson.Str(c, "message")}"),
                    [replicasLine, EvidenceText.Cut($"condition {type}=False ({KubeJson.Str(c, "reason")}): {KubeJson.Str(c, "message")}"), .. EvidenceText.Warnings(state, reference).TakeLast(2).Select(EvidenceText.Event)], target.Ref);
            }
        }

        if (KubeJson.Condition(subject.Json, "ScalingLimited") is { } limited && KubeJson.Str(limited, "status") == "True" && current != min)
        {
            yield return new Finding(Name, IncidentCategory.Autoscaling, reference, current == max ? Severity.Warning : Severity.Info, KubeJson.Str(limited, "reason") ?? "ScalingLimited",
                EvidenceText.Cut($"{Refs.Describe(reference)} is limited: {KubeJson.Str(limited, "message")}"),
                [replicasLine, EvidenceText.Cut($"condition ScalingLimited=True ({KubeJson.Str(limited, "reason")}): {KubeJson.Str(limited, "message")}")], target.Ref);
        }

        var resources = KubeJson.Items(subject.Json, "spec", "metrics")
            .Where(m => KubeJson.Str(m, "type") is "Resource" or "ContainerResource")
            .Select(m => KubeJson.Str(m, "resource", "name") ?? KubeJson.Str(m, "containerResource", "name"))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var containers = KubeJson.Items(target.Json, "spec", "template", "spec", "containers").ToList();
        foreach (var resource in resources)
        {
            var lacking = containers.Where(c => KubeJson.Str(c, "resources", "requests", resource) is null).Select(c => KubeJson.Str(c, "name") ?? "?").ToList();
            if (lacking.Count > 0)
            {
                yield return new Finding(Name, IncidentCategory.Autoscaling, reference, Severity.Warning, "MissingRequests",
                    $"{Refs.Describe(reference)} scales on {resource} but containers {string.Join(", ", lacking)} of {targetKind} {targetName} request no {resource}.",
                    [replicasLine, $"containers without requests.{resource}: {string.Join(", ", lacking)}"], target.Ref);
            }
        }
    }
}
