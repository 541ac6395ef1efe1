using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Ingress checks: no ingress class (and no default IngressClass), an IngressClass that does not exist
/// (only judged when the state holds IngressClasses at all), backend Services that do not exist, TLS Secrets that do not exist.</summary>
public sealed class IngressDetector : IDetector
{
    public string Name => "ingress.config";

    public IReadOnlyCollection<string> Kinds { get; } = ["Ingress"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "Ingress")
        {
            yield break;
        }

        var reference = subject.Ref;
        var classes = state.List(reference.Cluster, "IngressClass").ToList();
        var className = KubeJson.Str(subject.Json, "spec", "ingressClassName") ?? KubeJson.Annotation(subject, "kubernetes.io/ingress.class");
        if (className is null)
        {
            if (!classes.Any(c => KubeJson.Annotation(c, "ingressclass.kubernetes.io/is-default-class") == "true"))
            {
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Warning, "NoIngressClass",
                    $"{Refs.Describe(reference)} names no ingress class and no IngressClass is the default: no controller serves it.",
                    ["spec.ingressClassName unset, no kubernetes.io/ingress.class annotation, no default IngressClass"]);
            }
        }
        else if (classes.Count > 0 && !classes.Any(c => c.Ref.Name == className))
        {
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "IngressClassMissing",
                $"{Refs.Describe(reference)} uses IngressClass {className}, which does not exist.", [$"IngressClass {className} not found"]);
        }

        var backends = KubeJson.Items(subject.Json, "spec", "rules")
            .SelectMany(r => KubeJson.Items(r, "http", "paths"))
            .Select(p => KubeJson.Str(p, "backend", "service", "name"))
            .Append(KubeJson.Str(subject.Json, "spec", "defaultBackend", "service", "name"))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var missing = backends.Where(b => state.Find(reference.Cluster, "Service", reference.Namespace, b) is null).ToList();
        if (missing.Count > 0)
        {
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Error, "BackendServiceMissing",
                $"{Refs.Describe(reference)} routes to Service {string.Join(", ", missing)}, which does not exist.",
                [.. missing.Select(m => $"backend Service {reference.Namespace}/{m} not found")], Refs.Sibling(reference, "v1", "Service", reference.Namespace, missing[0]));
        }

        var secrets = KubeJson.Items(subject.Json, "spec", "tls").Select(t => KubeJson.Str(t, "secretName")).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(s => state.Find(reference.Cluster, "Secret", reference.Namespace, s) is null))
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Error, "TlsSecretMissing",
                $"{Refs.Describe(reference)} uses TLS Secret {secret}, which does not exist.", [$"spec.tls secretName {secret}: Secret {reference.Namespace}/{secret} not found"],
                Refs.Sibling(reference, "v1", "Secret", reference.Namespace, secret));
        }
    }
}
