using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Security check on RBAC: Roles and ClusterRoles granting <c>*</c> verbs or resources (cluster-admin and
/// system: roles excepted, they are wildcards by design). A posture check: not in <see cref="DetectorCatalog.Incidents"/>.</summary>
public sealed class RbacWildcardDetector : IDetector
{
    public string Name => "security.rbac";

    public IReadOnlyCollection<string> Kinds { get; } = ["Role", "ClusterRole"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var reference = subject.Ref;
        if (!Kinds.Contains(reference.Kind) || reference.Name == "cluster-admin" || reference.Name.StartsWith("system:", StringComparison.Ordinal))
        {
            yield break;
        }

        var wildcards = KubeJson.Items(subject.Json, "rules")
            .Where(r => KubeJson.Items(r, "verbs").Any(IsStar) || KubeJson.Items(r, "resources").Any(IsStar))
            .Select(r => $"apiGroups [{Join(r, "apiGroups")}] resources [{Join(r, "resources")}] verbs [{Join(r, "verbs")}]")
            .ToList();
        if (wildcards.Count > 0)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Warning, "WildcardRule",
                $"{Refs.Describe(reference)} grants wildcard permissions.", [.. wildcards.Take(3).Select(w => $"rule {w}")]);
        }
    }

    private static bool IsStar(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.String && e.GetString() == "*";

    private static string Join(System.Text.Json.JsonElement rule, string field) => string.Join(",", KubeJson.Items(rule, field).Select(e => e.GetString()));
}
