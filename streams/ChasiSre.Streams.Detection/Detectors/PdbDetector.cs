using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>PodDisruptionBudgets with DisruptionAllowed=False (k8sgpt's check) while all the pods they expect are healthy:
/// the budget itself forbids every eviction, so node drains and upgrades block. When pods are unhealthy the budget is doing
/// its job and the pod detectors report why; a budget that selects no pods is reported too.</summary>
public sealed class PdbDetector : IDetector
{
    public string Name => "pdb.disruptions";

    public IReadOnlyCollection<string> Kinds { get; } = ["PodDisruptionBudget"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "PodDisruptionBudget")
        {
            yield break;
        }

        var reference = subject.Ref;
        var expected = KubeJson.Long(subject.Json, "status", "expectedPods") ?? 0;
        var healthy = KubeJson.Long(subject.Json, "status", "currentHealthy") ?? 0;
        var desired = KubeJson.Long(subject.Json, "status", "desiredHealthy") ?? 0;
        var line = $"{Refs.Describe(reference)} minAvailable {KubeJson.Str(subject.Json, "spec", "minAvailable") ?? "-"}, maxUnavailable {KubeJson.Str(subject.Json, "spec", "maxUnavailable") ?? "-"}, expectedPods {expected}, currentHealthy {healthy}, desiredHealthy {desired}, disruptionsAllowed {KubeJson.Long(subject.Json, "status", "disruptionsAllowed") ?? 0}";
        if (KubeJson.Condition(subject.Json, "DisruptionAllowed") is not { } c || KubeJson.Str(c, "status") != "False")
        {
            yield break;
        }

        if (expected == 0)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Info, "SelectsNoPods",
                $"{Refs.Describe(reference)} selects no pods.", [line]);
        }
        else if (healthy >= expected)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Warning, "NoDisruptionsAllowed",
                $"{Refs.Describe(reference)} allows no disruption although all {expected} pods are healthy: node drains will block.", [line, EvidenceText.Cut($"condition DisruptionAllowed=False ({KubeJson.Str(c, "reason")}): {KubeJson.Str(c, "message")}")]);
        }
    }
}
