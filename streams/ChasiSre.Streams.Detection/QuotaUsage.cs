namespace ChasiSre.Streams.Detection;

/// <summary>One line of a ResourceQuota's usage against its hard limits.</summary>
internal static class QuotaUsage
{
    public static string Describe(KubeObject quota)
    {
        var hard = KubeJson.Map(quota.Json, "status", "hard");
        if (hard.Count == 0)
        {
            hard = KubeJson.Map(quota.Json, "spec", "hard");
        }

        var used = KubeJson.Map(quota.Json, "status", "used");
        var parts = hard.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} used {used.GetValueOrDefault(p.Key, "?")} of {p.Value}{(IsNearlyFull(used.GetValueOrDefault(p.Key), p.Value) ? " (nearly full)" : "")}");
        return EvidenceText.Cut($"{quota.Ref.Kind} {quota.Ref.Namespace}/{quota.Ref.Name} ({quota.Ref.Cluster}): {string.Join("; ", parts)}");
    }

    private static bool IsNearlyFull(string? used, string hard) =>
        KubeJson.Quantity(used) is { } u && KubeJson.Quantity(hard) is { } h && h > 0 && u / h >= 0.9m;
}
