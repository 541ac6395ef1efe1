using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// k8sgpt's Service checks: a selector that matches no pods, endpoints that are all (or partly) not ready, and Warning
/// events about the Service. Events are matched by kind, name and uid through <see cref="IClusterState.Events"/>, so an
/// event about a Deployment or a deleted namesake is not attributed (k8sgpt #1752). When the not-ready endpoints all belong
/// to one workload, that workload is the finding's cause. Host twins of vCluster Services are judged on the virtual side.
/// </summary>
public sealed class ServiceEndpointsDetector : IDetector
{
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
        var notReady = endpoints is null ? [] : KubeJson.Items(endpoints.Json, "subsets").SelectMany(s => KubeJson.Items(s, "notReadyAddresses")).ToList();
        if (ready.Count == 0 && notReady.Count == 0)
        {
            var matching = state.List(reference.Cluster, "Pod", reference.Namespace)
                .Where(p => KubeJson.Selects(selector, KubeJson.Map(p.Json, "metadata", "labels")))
                .ToList();
            if (matching.Count == 0)
            {
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

    private static ObjectRef? SingleWorkload(List<KubeObject> pods, IClusterState state)
    {
        var workloads = pods.Select(p => Workloads.Of(p, state).Ref).DistinctBy(r => (r.Kind, r.Name)).ToList();
        return pods.Count > 0 && workloads.Count == 1 ? workloads[0] : null;
    }
}
