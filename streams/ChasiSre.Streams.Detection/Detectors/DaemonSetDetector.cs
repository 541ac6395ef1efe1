using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's DaemonSet checks: fewer ready pods than desiredNumberScheduled (outside a rollout that stays within
/// maxUnavailable), and imagePullSecrets that do not exist.</summary>
public sealed class DaemonSetDetector : IDetector
{
    public string Name => "daemonset.health";

    public IReadOnlyCollection<string> Kinds { get; } = ["DaemonSet"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "DaemonSet")
        {
            yield break;
        }

        var reference = subject.Ref;
        foreach (var secret in KubeJson.Items(subject.Json, "spec", "template", "spec", "imagePullSecrets").Select(s => KubeJson.Str(s, "name")).OfType<string>())
        {
            if (state.Find(reference.Cluster, "Secret", reference.Namespace, secret) is null)
            {
                yield return new Finding(Name, IncidentCategory.ImagePull, reference, Severity.Error, "PullSecretMissing",
                    $"{Refs.Describe(reference)} uses imagePullSecret {secret}, which does not exist.",
                    [$"imagePullSecrets: Secret {reference.Namespace}/{secret} not found"], Refs.Sibling(reference, "v1", "Secret", reference.Namespace, secret));
            }
        }

        var desired = KubeJson.Long(subject.Json, "status", "desiredNumberScheduled") ?? 0;
        var ready = KubeJson.Long(subject.Json, "status", "numberReady") ?? 0;
        if (ready >= desired)
        {
            yield break;
        }

        var updated = KubeJson.Long(subject.Json, "status", "updatedNumberScheduled") ?? desired;
        var generation = KubeJson.Long(subject.Json, "metadata", "generation");
        var observed = KubeJson.Long(subject.Json, "status", "observedGeneration");
        var rolling = updated < desired || (generation is not null && observed is not null && observed < generation);
        var maxUnavailable = MaxUnavailable(subject, desired);
        if (rolling && desired - ready <= maxUnavailable)
        {
            yield break;
        }

        yield return new Finding(Name, IncidentCategory.RolloutStuck, reference, ready == 0 ? Severity.Error : Severity.Warning, "PodsNotReady",
            $"{Refs.Describe(reference)} has {ready} of {desired} pods ready.",
            [$"{Refs.Describe(reference)} desiredNumberScheduled {desired}, numberReady {ready}, updatedNumberScheduled {updated}, numberUnavailable {KubeJson.Long(subject.Json, "status", "numberUnavailable") ?? desired - ready}"]);
    }

    private static long MaxUnavailable(KubeObject daemonSet, long desired)
    {
        var text = KubeJson.Str(daemonSet.Json, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable") ?? "1";
        if (text.EndsWith('%') && decimal.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent))
        {
            return Math.Max(1, (long)Math.Floor(desired * percent / 100));
        }

        return long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
    }
}
