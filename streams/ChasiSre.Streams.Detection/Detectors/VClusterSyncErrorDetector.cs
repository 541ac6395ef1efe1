using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// vCluster pods the syncer cannot put on the host: SyncError / "Error syncing to physical cluster" / "Error updating pod"
/// events on the virtual pod, on the vCluster's host control plane naming the pod's host twin, or on a ConfigMap, Secret or
/// PersistentVolumeClaim the pod needs (its twin refused, the pod waits for it). The subject is the
/// virtual workload (one finding for all its pods). The message decides the category and the cause: a host ResourceQuota
/// (<c>exceeded quota: vc-team-b</c>) is <see cref="IncidentCategory.QuotaExceeded"/> caused by that quota in the vCluster's
/// host namespace, a LimitRange likewise, PodSecurity or a webhook is <see cref="IncidentCategory.AdmissionRejected"/>
/// (VCLUSTER.md failures 1-4); anything else is <see cref="IncidentCategory.VClusterSync"/> caused by the control plane.
/// </summary>
public sealed class VClusterSyncErrorDetector : IDetector
{
    public string Name => "vcluster.sync-error";

    private static readonly string[] DependencyKinds = ["ConfigMap", "Secret", "PersistentVolumeClaim"];

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod", .. DependencyKinds];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Layer != Layer.Virtual)
        {
            return [];
        }

        if (subject.Ref.Kind == "Pod")
        {
            return PodFindings.ForWorkload(Name, subject, state, Probe);
        }

        // A ConfigMap, Secret or claim the syncer cannot put on the host: judged for the pods that need it.
        if (!DependencyKinds.Contains(subject.Ref.Kind) || !state.Events(subject.Ref).Any(IsSyncError))
        {
            return [];
        }

        return state.List(subject.Ref.Cluster, "Pod", subject.Ref.Namespace)
            .Where(pod => Dependencies(pod).Contains((subject.Ref.Kind, subject.Ref.Name)))
            .SelectMany(pod => PodFindings.ForWorkload(Name, pod, state, Probe))
            .DistinctBy(f => f.Key)
            .ToList();
    }

    /// <summary>The rejection (quota, LimitRange, PodSecurity, webhook) behind the latest sync error of a virtual pod or of
    /// an object it needs, with the object the host refuses; null when nothing of the pod fails to sync.</summary>
    internal static (Rejection? Rejection, ObjectRef Refused)? SyncRejection(KubeObject pod, IClusterState state)
    {
        if (pod.Ref.Layer != Layer.Virtual)
        {
            return null;
        }

        var latest = SyncErrors(pod, state).MaxBy(e => e.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue);
        return latest is null
            ? null
            : (RejectionClassifier.Classify(latest.Message, state, pod.Ref, pod.Ref.HostCluster, pod.Ref.HostNamespace, Layer.Host), latest.Involved);
    }

    private static bool IsSyncError(KubeEvent e) =>
        e.Reason == "SyncError"
        || e.Message.Contains("Error syncing to physical cluster", StringComparison.Ordinal)
        || e.Message.Contains("Error updating pod", StringComparison.Ordinal);

    // The ConfigMaps, Secrets and claims a pod cannot start without: volumes, env and envFrom references (optional ones too:
    // the syncer failing on them is still worth naming).
    private static HashSet<(string Kind, string Name)> Dependencies(KubeObject pod)
    {
        var found = new HashSet<(string Kind, string Name)>();
        void Add(string kind, string? name)
        {
            if (name is { Length: > 0 })
            {
                found.Add((kind, name));
            }
        }

        foreach (var volume in KubeJson.Items(pod.Json, "spec", "volumes"))
        {
            Add("ConfigMap", KubeJson.Str(volume, "configMap", "name"));
            Add("Secret", KubeJson.Str(volume, "secret", "secretName"));
            Add("PersistentVolumeClaim", KubeJson.Str(volume, "persistentVolumeClaim", "claimName"));
            foreach (var source in KubeJson.Items(volume, "projected", "sources"))
            {
                Add("ConfigMap", KubeJson.Str(source, "configMap", "name"));
                Add("Secret", KubeJson.Str(source, "secret", "name"));
            }
        }

        foreach (var container in KubeJson.Items(pod.Json, "spec", "initContainers").Concat(KubeJson.Items(pod.Json, "spec", "containers")))
        {
            foreach (var env in KubeJson.Items(container, "env"))
            {
                Add("ConfigMap", KubeJson.Str(env, "valueFrom", "configMapKeyRef", "name"));
                Add("Secret", KubeJson.Str(env, "valueFrom", "secretKeyRef", "name"));
            }

            foreach (var from in KubeJson.Items(container, "envFrom"))
            {
                Add("ConfigMap", KubeJson.Str(from, "configMapRef", "name"));
                Add("Secret", KubeJson.Str(from, "secretRef", "name"));
            }
        }

        return found;
    }

    /// <summary>The syncer's error events about a virtual pod: its own, its control plane's that name its host twin, and,
    /// while it is Pending, those about the ConfigMaps, Secrets and claims it needs (their twins are refused, so it waits).</summary>
    internal static List<KubeEvent> SyncErrors(KubeObject pod, IClusterState state)
    {
        var events = state.Events(pod.Ref).Where(IsSyncError).ToList();
        var waiting = KubeJson.Str(pod.Json, "status", "phase") == "Pending";
        IEnumerable<(string Kind, string Name)> needed = waiting ? Dependencies(pod).Order() : [];
        foreach (var (kind, name) in needed)
        {
            if (state.Find(pod.Ref.Cluster, kind, pod.Ref.Namespace, name) is { } dependency)
            {
                events.AddRange(state.Events(dependency.Ref).Where(IsSyncError));
            }
        }

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

        var twinOf = latest.Involved.Kind == "Pod" ? "its twin" : $"the twin of {Refs.Describe(latest.Involved)} it needs";
        var what = rejection?.Reason switch
        {
            "ExceededQuota" => $"the host rejects {twinOf}: ResourceQuota {rejection.Detail} in {pod.Ref.HostNamespace} is exhausted",
            "LimitRange" => $"the host rejects {twinOf}: a LimitRange in {pod.Ref.HostNamespace} forbids its resources",
            "PodSecurity" => $"the host rejects {twinOf}: PodSecurity \"{rejection.Detail}\" of {pod.Ref.HostNamespace}",
            "WebhookDenied" => $"the host rejects {twinOf}: admission webhook {rejection.Detail} denies it",
            _ => EvidenceText.Cut(latest.Involved.Kind == "Pod" ? $"the syncer cannot sync it to the host: {latest.Message}" : $"the syncer cannot sync {Refs.Describe(latest.Involved)} to the host: {latest.Message}"),
        };
        return new PodProblem(rejection?.Category ?? IncidentCategory.VClusterSync, Severity.Error, rejection?.Reason ?? "SyncError", what, evidence, rejection?.Cause ?? controlPlane)
        {
            Attributes = { ["layer"] = "host", ["hostNamespace"] = pod.Ref.HostNamespace, ["refusedBy"] = rejection?.Detail ?? "" },
        };
    }
}
