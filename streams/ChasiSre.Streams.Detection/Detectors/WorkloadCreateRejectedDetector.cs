using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// Controllers that cannot create their pods: FailedCreate events (and a ReplicaSet's ReplicaFailure condition, k8sgpt's
/// ReplicaSet check) on a ReplicaSet, StatefulSet, DaemonSet or Job. The message decides: "exceeded quota" is
/// <see cref="IncidentCategory.QuotaExceeded"/> caused by that ResourceQuota, a LimitRange maximum/minimum is QuotaExceeded
/// caused by the LimitRange, "violates PodSecurity" and "admission webhook ... denied" are
/// <see cref="IncidentCategory.AdmissionRejected"/>; anything else is a ConfigError. The subject is the top workload
/// (a ReplicaSet's Deployment, a Job's CronJob).
/// </summary>
public sealed class WorkloadCreateRejectedDetector : IDetector
{
    public string Name => "workload.create-rejected";

    public IReadOnlyCollection<string> Kinds { get; } = ["ReplicaSet", "StatefulSet", "DaemonSet", "Job"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (!Kinds.Contains(subject.Ref.Kind))
        {
            yield break;
        }

        var failedCreate = EvidenceText.Warnings(state, subject.Ref, "FailedCreate").LastOrDefault();
        var condition = KubeJson.Condition(subject.Json, "ReplicaFailure");
        var conditionMessage = condition is { } c && KubeJson.Str(c, "status") == "True" ? KubeJson.Str(c, "message") : null;
        var message = failedCreate?.Message ?? conditionMessage;
        if (message is null)
        {
            yield break;
        }

        // A FailedCreate long past, on a controller that now has all its replicas, is history.
        var desired = Workloads.DesiredReplicas(subject);
        var current = KubeJson.Long(subject.Json, "status", subject.Ref.Kind == "DaemonSet" ? "currentNumberScheduled" : subject.Ref.Kind == "Job" ? "active" : "replicas");
        if (conditionMessage is null && desired is not null && current is not null && current >= desired)
        {
            yield break;
        }

        var ns = subject.Ref.Namespace;
        var rejection = RejectionClassifier.Classify(message, state, subject.Ref, subject.Ref.Cluster, ns, subject.Ref.Layer)
            ?? new Rejection(IncidentCategory.ConfigError, "FailedCreate", null, null);
        var workload = Workloads.Of(subject, state);
        var evidence = new List<string>();
        if (failedCreate is not null)
        {
            evidence.Add(EvidenceText.Event(failedCreate));
        }

        if (conditionMessage is not null)
        {
            evidence.Add(EvidenceText.Cut($"{Refs.Describe(subject.Ref)} condition ReplicaFailure=True: {conditionMessage}"));
        }

        evidence.Add($"{Refs.Describe(subject.Ref)} replicas {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} of {desired?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} desired");
        if (rejection.Cause is { Kind: "ResourceQuota" } quotaRef && state.Find(quotaRef.Cluster, "ResourceQuota", quotaRef.Namespace, quotaRef.Name) is { } quota)
        {
            evidence.Add(QuotaUsage.Describe(quota));
        }

        var what = rejection.Reason switch
        {
            "ExceededQuota" => $"ResourceQuota {rejection.Detail} is exhausted",
            "LimitRange" => $"a LimitRange{(rejection.Detail is null ? "" : $" ({rejection.Detail})")} forbids the pod's resources",
            "PodSecurity" => $"PodSecurity \"{rejection.Detail}\" rejects the pod",
            "WebhookDenied" => $"admission webhook {rejection.Detail} denies the pod",
            _ => "pod creation fails",
        };
        yield return new Finding(Name, rejection.Category, workload.Ref, Severity.Error, rejection.Reason,
            $"{Refs.Describe(workload.Ref)} cannot create pods: {what}.", evidence, rejection.Cause)
        {
            Related = Refs.SameObject(workload.Ref, subject.Ref) ? [] : [subject.Ref],
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["controller"] = Refs.Describe(subject.Ref), ["refusedBy"] = rejection.Detail ?? "" },
        };
    }
}
