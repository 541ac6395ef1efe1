using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// k8sgpt's ConfigMap checks: unused (no pod in its namespace mounts it, reads it by envFrom or env valueFrom, or projects
/// it), empty, larger than 1 MiB. Usage is keyed by namespace and name: k8sgpt keys it by name alone, so a ConfigMap used
/// in one namespace hides its unused namesake in another. kube-root-ca.crt and ConfigMaps owned by another object (Helm,
/// operators) are not judged unused. Host copies the vCluster syncer made are judged on the virtual side.
/// </summary>
public sealed class ConfigMapDetector : IDetector
{
    /// <summary>The API server's limit on a ConfigMap.</summary>
    public const int MaxBytes = 1024 * 1024;

    public string Name => "configmap.usage";

    public IReadOnlyCollection<string> Kinds { get; } = ["ConfigMap"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var reference = subject.Ref;
        if (reference.Kind != "ConfigMap" || KubeJson.Label(subject, VClusters.ManagedByLabel) is not null)
        {
            yield break;
        }

        var size = subject.Json.GetRawText().Length;
        if (size > MaxBytes)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Warning, "TooLarge",
                $"{Refs.Describe(reference)} is {size / 1024} KiB, over the 1 MiB a ConfigMap may hold.", [$"{Refs.Describe(reference)} size {size} bytes"]);
        }

        var keys = KubeJson.Map(subject.Json, "data").Count + KubeJson.Map(subject.Json, "binaryData").Count + KubeJson.Items(subject.Json, "dataKeys").Count();
        if (keys == 0)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Info, "Empty",
                $"{Refs.Describe(reference)} holds no keys.", [$"{Refs.Describe(reference)} data, binaryData empty"]);
        }

        if (reference.Name == "kube-root-ca.crt" || KubeJson.OwnerReferences(subject.Json).Any())
        {
            yield break;
        }

        var used = state.List(reference.Cluster, "Pod", reference.Namespace).Any(p => Uses(p, reference.Name));
        if (!used)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Info, "Unused",
                $"{Refs.Describe(reference)} is used by no pod in namespace {reference.Namespace}.", [$"no pod in {reference.Namespace} mounts or reads ConfigMap {reference.Name}"]);
        }
    }

    /// <summary>Does <paramref name="pod"/> reference ConfigMap <paramref name="name"/> (volumes, projected sources, envFrom, env valueFrom)?</summary>
    internal static bool Uses(KubeObject pod, string name)
    {
        var spec = KubeJson.Get(pod.Json, "spec");
        if (spec is not { } s)
        {
            return false;
        }

        foreach (var volume in KubeJson.Items(s, "volumes"))
        {
            if (KubeJson.Str(volume, "configMap", "name") == name
                || KubeJson.Items(volume, "projected", "sources").Any(src => KubeJson.Str(src, "configMap", "name") == name))
            {
                return true;
            }
        }

        return KubeJson.Items(s, "containers").Concat(KubeJson.Items(s, "initContainers")).Concat(KubeJson.Items(s, "ephemeralContainers"))
            .Any(c => KubeJson.Items(c, "envFrom").Any(e => KubeJson.Str(e, "configMapRef", "name") == name)
                || KubeJson.Items(c, "env").Any(e => KubeJson.Str(e, "valueFrom", "configMapKeyRef", "name") == name));
    }
}
