using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios.Tests;

/// <summary>Lookups over a built timeline.</summary>
internal static class TimelineQueries
{
    public static IEnumerable<ApplyObject> Applies(this IReadOnlyList<ClusterOperation> ops, string cluster, string kind) =>
        ops.OfType<ApplyObject>().Where(a => a.Cluster == cluster && a.Kind == kind);

    public static ApplyObject? Find(this IReadOnlyList<ClusterOperation> ops, string cluster, string kind, string? ns, string name) =>
        ops.OfType<ApplyObject>().LastOrDefault(a => a.Cluster == cluster && a.Kind == kind && a.Namespace == ns && a.Name == name);

    public static ApplyObject Single(this IReadOnlyList<ClusterOperation> ops, string cluster, string kind, string? ns, string name)
    {
        var matches = ops.OfType<ApplyObject>().Where(a => a.Cluster == cluster && a.Kind == kind && a.Namespace == ns && a.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one apply of {cluster}/{kind}/{ns}/{name}, found {matches.Count}");
        return matches[0];
    }

    public static string? Label(this ApplyObject apply, string key) => (string?)apply.Object["metadata"]?["labels"]?[key];

    public static string? Annotation(this ApplyObject apply, string key) => (string?)apply.Object["metadata"]?["annotations"]?[key];

    public static string? At(this JsonNode? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => node?[key],
                int index => node?[index],
                _ => throw new ArgumentException("path steps are keys or indexes", nameof(path)),
            };
        }

        return node?.ToString();
    }
}
