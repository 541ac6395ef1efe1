using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// k8sgpt's Service checks: a selector that matches no pods, endpoints that are all (or partly) not ready, and Warning
/// events about the Service. Events are matched by kind, name and uid through <see cref="IClusterState.Events"/>, so an
/// event about a Deployment or a deleted namesake is not attributed (k8sgpt #1752). When the not-ready endpoints all belong
/// to one workload, that workload is the finding's cause. Host twins of vCluster Services are judged on the virtual side.
/// A Service whose every backing Deployment, StatefulSet or ReplicaSet is scaled to zero on purpose has no endpoints by
/// design (k8sgpt reports it). A not-ready endpoint counts only once its pod has been not ready for the grace period
/// (from its Ready condition's last transition, else its creation), unless it is failing (a container restarted or waits
/// in an error state); a terminating pod does not count: a pod starting or stopping during a rolling update or a scale-up
/// is not a finding.
/// </summary>
public sealed class ServiceEndpointsDetector : IDetector
{
    /// <summary>How long a pod may be not ready behind a Service before it counts.</summary>
    public static readonly TimeSpan DefaultNotReadyGrace = TimeSpan.FromMinutes(2);

    private static readonly string[] BackingKinds = ["Deployment", "StatefulSet", "ReplicaSet"];

    private readonly TimeSpan notReadyGrace;

    /// <summary>A detector with <see cref="DefaultNotReadyGrace"/>.</summary>
    public ServiceEndpointsDetector()
        : this(DefaultNotReadyGrace)
    {
    }

    /// <summary>A detector that ignores endpoints not ready for less than <paramref name="notReadyGrace"/>.</summary>
    public ServiceEndpointsDetector(TimeSpan notReadyGrace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(notReadyGrace, TimeSpan.Zero);
        this.notReadyGrace = notReadyGrace;
    }

    public string Name => "service.endpoints";

    public IReadOnlyCollection<string> Kinds { get; } = ["Service", "Endpoints"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var service = subject.Ref.Kind switch
        {
            "Service" => subject,
            "Endpoints" => state.Find(subject.Ref.Cluster, "Service", subject.Ref.Namespace, subject.Ref.Name),
            _ => null,
        };
        return service is null || VClusters.IsMirroredTwin(service, state) || VClusters.IsControlPlane(service) ? [] : Judge(service, state);
    }

    private IEnumerable<Finding> Judge(KubeObject service, IClusterState state)
    {
        var reference = service.Ref;
        var warnings = EvidenceText.Warnings(state, reference).TakeLast(3).Select(EvidenceText.Event).ToList();
        var selector = KubeJson.Get(service.Json, "spec", "selector");
        if (KubeJson.Str(service.Json, "spec", "type") == "ExternalName" || selector is null || KubeJson.Map(service.Json, "spec", "selector").Count == 0)
        {
            if (warnings.Count > 0)
            {
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Warning, "WarningEvents",
                    $"{Refs.Describe(reference)} has warning events.", warnings);
            }

            yield break;
        }

        var selectorText = string.Join(",", KubeJson.Map(service.Json, "spec", "selector").Select(p => $"{p.Key}={p.Value}"));
        var endpoints = state.Find(reference.Cluster, "Endpoints", reference.Namespace, reference.Name);
        var ready = endpoints is null ? [] : KubeJson.Items(endpoints.Json, "subsets").SelectMany(s => KubeJson.Items(s, "addresses")).ToList();
        var listed = endpoints is null ? [] : KubeJson.Items(endpoints.Json, "subsets").SelectMany(s => KubeJson.Items(s, "notReadyAddresses")).ToList();
        var notReady = listed.Where(a => !Settling(a, reference, state)).ToList();
        if (ready.Count == 0 && listed.Count == 0)
        {
            var matching = state.List(reference.Cluster, "Pod", reference.Namespace)
                .Where(p => KubeJson.Selects(selector, KubeJson.Map(p.Json, "metadata", "labels")))
                .ToList();
            if (matching.Count == 0)
            {
                if (ScaledToZero(selector, reference, state))
                {
                    yield break;
                }

                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "NoPodsMatchSelector",
                    $"{Refs.Describe(reference)} selects no pods ({selectorText}): it has no endpoints.",
                    [$"{Refs.Describe(reference)} selector {selectorText} matches no pod in namespace {reference.Namespace}", .. warnings]);
                yield break;
            }

            if (endpoints is not null)
            {
                var cause = SingleWorkload(matching, state);
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "NoEndpoints",
                    $"{Refs.Describe(reference)} has no endpoints although {matching.Count} pods match its selector.",
                    [$"Endpoints {reference.Namespace}/{reference.Name} empty; {matching.Count} pods match {selectorText}", .. matching.Take(2).Select(PodFindings.StatusLine), .. warnings], cause)
                {
                    Related = [.. matching.Take(20).Select(p => p.Ref)],
                };
            }

            yield break;
        }

        if (notReady.Count > 0)
        {
            var pods = notReady
                .Select(a => KubeJson.Str(a, "targetRef", "name") is { } name ? state.Find(reference.Cluster, "Pod", KubeJson.Str(a, "targetRef", "namespace") ?? reference.Namespace, name) : null)
                .OfType<KubeObject>().ToList();
            var names = notReady.Select(a => KubeJson.Str(a, "targetRef", "name") ?? KubeJson.Str(a, "ip") ?? "?").ToList();
            var allDown = ready.Count == 0;
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, allDown ? Severity.Error : Severity.Warning, allDown ? "NoReadyEndpoints" : "NotReadyEndpoints",
                $"{Refs.Describe(reference)} has {ready.Count} ready and {notReady.Count} not-ready endpoints.",
                [$"{Refs.Describe(reference)} endpoints ready {ready.Count}, not ready {notReady.Count}: {EvidenceText.List(names, 5)}", .. warnings], SingleWorkload(pods, state))
            {
                Related = [.. pods.Take(20).Select(p => p.Ref)],
            };
            yield break;
        }

        if (warnings.Count > 0)
        {
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Warning, "WarningEvents",
                $"{Refs.Describe(reference)} has warning events.", warnings);
        }
    }

    // Every Deployment, StatefulSet or top-level ReplicaSet whose pod template the selector matches asks for zero replicas.
    private static bool ScaledToZero(System.Text.Json.JsonElement? selector, ObjectRef service, IClusterState state)
    {
        var backing = BackingKinds
            .SelectMany(kind => state.List(service.Cluster, kind, service.Namespace))
            .Where(w => w.Ref.Kind != "ReplicaSet" || KubeJson.Controller(w.Json) is null)
            .Where(w => KubeJson.Selects(selector, KubeJson.Map(w.Json, "spec", "template", "metadata", "labels")))
            .ToList();
        return backing.Count > 0 && backing.All(w => KubeJson.Long(w.Json, "spec", "replicas") == 0);
    }

    // A not-ready address whose pod became not ready (or was created) within the grace period, or is terminating.
    private bool Settling(System.Text.Json.JsonElement address, ObjectRef service, IClusterState state)
    {
        if (KubeJson.Str(address, "targetRef", "name") is not { } name
            || state.Find(service.Cluster, "Pod", KubeJson.Str(address, "targetRef", "namespace") ?? service.Namespace, name) is not { } pod)
        {
            return false;
        }

        if (KubeJson.Has(pod.Json, "metadata", "deletionTimestamp"))
        {
            return true;
        }

        var since = (KubeJson.Condition(pod.Json, "Ready") is { } ready ? KubeJson.Time(ready, "lastTransitionTime") : null)
            ?? KubeJson.Time(pod.Json, "metadata", "creationTimestamp");
        return since is { } at && state.Now - at < notReadyGrace && Starting(pod);
    }

    // Every container is being created, initialising or running without a restart: the pod is starting, not failing
    // (a crashing or image-less container is a problem from its first minute).
    private static bool Starting(KubeObject pod) =>
        KubeJson.Items(pod.Json, "status", "initContainerStatuses").Concat(KubeJson.Items(pod.Json, "status", "containerStatuses"))
            .All(c => (KubeJson.Long(c, "restartCount") ?? 0) == 0
                && KubeJson.Str(c, "state", "waiting", "reason") is null or "ContainerCreating" or "PodInitializing");

    private static ObjectRef? SingleWorkload(List<KubeObject> pods, IClusterState state)
    {
        var workloads = pods.Select(p => Workloads.Of(p, state).Ref).DistinctBy(r => (r.Kind, r.Name)).ToList();
        return pods.Count > 0 && workloads.Count == 1 ? workloads[0] : null;
    }
}
