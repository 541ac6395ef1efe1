using System.Globalization;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// Deployments that do not progress: Progressing=False (ProgressDeadlineExceeded), or fewer ready replicas than desired for
/// longer than progressDeadlineSeconds. k8sgpt flags replicas != readyReplicas at once, so every rolling update is a
/// false positive; here a rollout that is progressing within its deadline is never a finding (pod problems of the new
/// ReplicaSet are reported by the pod detectors at once, with this Deployment as their subject). Paused Deployments are skipped.
/// </summary>
public sealed class DeploymentRolloutDetector : IDetector
{
    public string Name => "deployment.rollout";

    public IReadOnlyCollection<string> Kinds { get; } = ["Deployment"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "Deployment" || KubeJson.Bool(subject.Json, "spec", "paused") == true || VClusters.IsControlPlane(subject))
        {
            yield break;
        }

        var json = subject.Json;
        var desired = KubeJson.Long(json, "spec", "replicas") ?? 1;
        var ready = KubeJson.Long(json, "status", "readyReplicas") ?? 0;
        var updated = KubeJson.Long(json, "status", "updatedReplicas") ?? 0;
        var available = KubeJson.Long(json, "status", "availableReplicas") ?? 0;
        var deadline = TimeSpan.FromSeconds(KubeJson.Long(json, "spec", "progressDeadlineSeconds") ?? 600);
        var replicasLine = $"{Refs.Describe(subject.Ref)} replicas desired {desired}, updated {updated}, ready {ready}, available {available}";
        var progressing = KubeJson.Condition(json, "Progressing");
        if (progressing is { } p && KubeJson.Str(p, "status") == "False")
        {
            var reason = KubeJson.Str(p, "reason") ?? "ProgressDeadlineExceeded";
            yield return new Finding(Name, IncidentCategory.RolloutStuck, subject.Ref, Severity.Error, reason,
                $"{Refs.Describe(subject.Ref)} rollout is stuck: {reason}.",
                [replicasLine, EvidenceText.Cut($"condition Progressing=False {reason} since {KubeJson.Stamp(KubeJson.Time(p, "lastTransitionTime"))}: {KubeJson.Str(p, "message")}"), .. NewReplicaSetLines(subject, state)]);
            yield break;
        }

        if (ready >= desired)
        {
            yield break;
        }

        // Short of ready replicas: judge only once the shortfall has outlasted the progress deadline.
        var availableCondition = KubeJson.Condition(json, "Available");
        var since = availableCondition is { } a && KubeJson.Str(a, "status") == "False"
            ? KubeJson.Time(a, "lastTransitionTime")
            : progressing is { } pr ? KubeJson.Time(pr, "lastUpdateTime") : null;
        if (since is null || state.Now - since.Value < deadline)
        {
            yield break;
        }

        yield return new Finding(Name, IncidentCategory.RolloutStuck, subject.Ref, desired > 0 && ready == 0 ? Severity.Error : Severity.Warning, "ReplicasUnavailable",
            $"{Refs.Describe(subject.Ref)} has {ready} of {desired} replicas ready for {(state.Now - since.Value).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes.",
            [replicasLine, $"unavailable since {KubeJson.Stamp(since)} (progress deadline {deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s)", .. NewReplicaSetLines(subject, state)]);
    }

    private static IEnumerable<string> NewReplicaSetLines(KubeObject deployment, IClusterState state) =>
        state.ListOwnedBy(deployment.Ref, "ReplicaSet")
            .Where(rs => (KubeJson.Long(rs.Json, "spec", "replicas") ?? 0) > 0)
            .OrderBy(rs => rs.Ref.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(rs => $"{Refs.Describe(rs.Ref)} replicas {KubeJson.Long(rs.Json, "spec", "replicas")}, ready {KubeJson.Long(rs.Json, "status", "readyReplicas") ?? 0}");
}
