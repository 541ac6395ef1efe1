using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Gateway API checks: a GatewayClass not Accepted, a Gateway not Accepted or not Programmed (or whose
/// GatewayClass does not exist), an HTTPRoute whose parent Gateway or backend Service does not exist, or whose backend port
/// is not a port of that Service.</summary>
public sealed class GatewayApiDetector : IDetector
{
    public string Name => "gateway.config";

    public IReadOnlyCollection<string> Kinds { get; } = ["GatewayClass", "Gateway", "HTTPRoute"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var reference = subject.Ref;
        switch (reference.Kind)
        {
            case "GatewayClass":
            case "Gateway":
                if (reference.Kind == "Gateway" && KubeJson.Str(subject.Json, "spec", "gatewayClassName") is { } className
                    && state.Find(reference.Cluster, "GatewayClass", null, className) is null)
                {
                    yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "GatewayClassMissing",
                        $"{Refs.Describe(reference)} uses GatewayClass {className}, which does not exist.", [$"GatewayClass {className} not found"]);
                    yield break;
                }

                foreach (var type in reference.Kind == "Gateway" ? GatewayConditions : ClassConditions)
                {
                    if (KubeJson.Condition(subject.Json, type) is { } c && KubeJson.Str(c, "status") != "True")
                    {
                        yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "Not" + type,
                            EvidenceText.Cut($"{Refs.Describe(reference)} is not {type}: {KubeJson.Str(c, "reason")} {KubeJson.Str(c, "message")}"),
                            [EvidenceText.Cut($"condition {type}={KubeJson.Str(c, "status")} ({KubeJson.Str(c, "reason")}): {KubeJson.Str(c, "message")}")]);
                        yield break;
                    }
                }

                break;
            case "HTTPRoute":
                foreach (var finding in Route(subject, state))
                {
                    yield return finding;
                }

                break;
            default:
                break;
        }
    }

    private static readonly string[] GatewayConditions = ["Accepted", "Programmed"];
    private static readonly string[] ClassConditions = ["Accepted"];

    private IEnumerable<Finding> Route(KubeObject route, IClusterState state)
    {
        var reference = route.Ref;
        foreach (var parent in KubeJson.Items(route.Json, "spec", "parentRefs"))
        {
            var kind = KubeJson.Str(parent, "kind") ?? "Gateway";
            var name = KubeJson.Str(parent, "name") ?? "?";
            var ns = KubeJson.Str(parent, "namespace") ?? reference.Namespace;
            if (kind == "Gateway" && state.Find(reference.Cluster, "Gateway", ns, name) is null)
            {
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "ParentMissing",
                    $"{Refs.Describe(reference)} attaches to Gateway {ns}/{name}, which does not exist.", [$"parentRef Gateway {ns}/{name} not found"]);
            }
        }

        var backends = KubeJson.Items(route.Json, "spec", "rules").SelectMany(r => KubeJson.Items(r, "backendRefs"))
            .Where(b => (KubeJson.Str(b, "kind") ?? "Service") == "Service");
        foreach (var backend in backends)
        {
            var name = KubeJson.Str(backend, "name") ?? "?";
            var ns = KubeJson.Str(backend, "namespace") ?? reference.Namespace;
            var port = KubeJson.Long(backend, "port");
            var service = state.Find(reference.Cluster, "Service", ns, name);
            if (service is null)
            {
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "BackendMissing",
                    $"{Refs.Describe(reference)} routes to Service {ns}/{name}, which does not exist.", [$"backendRef Service {ns}/{name} not found"],
                    Refs.Sibling(reference, "v1", "Service", ns, name));
            }
            else if (port is not null && !KubeJson.Items(service.Json, "spec", "ports").Any(p => KubeJson.Long(p, "port") == port))
            {
                var ports = string.Join(",", KubeJson.Items(service.Json, "spec", "ports").Select(p => KubeJson.Long(p, "port")));
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "BackendPortMismatch",
                    $"{Refs.Describe(reference)} routes to port {port} of Service {ns}/{name}, which serves {ports}.", [$"backendRef {ns}/{name}:{port}; Service ports {ports}"], service.Ref);
            }
        }
    }
}
