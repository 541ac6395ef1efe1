using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation;

/// <summary>
/// Which category names an incident when its root carries signals of several: the most causal
/// one, the others stay as signals. Platform causes come first (a vCluster control plane, a node,
/// a quota or admission policy explain every symptom under them), then configuration and image
/// problems that keep containers from starting, then scheduling and resource kills, then the
/// symptoms they produce (crashes, failing probes, services without endpoints), and last the
/// aggregate views (rollouts, jobs, business health, metric anomalies) that other signals explain.
/// </summary>
public static class CategoryPrecedence
{
    /// <summary>Every category, most causal first.</summary>
    public static IReadOnlyList<IncidentCategory> Order { get; } =
    [
        IncidentCategory.VClusterControlPlane,
        IncidentCategory.NodeFailure,
        IncidentCategory.NodePressure,
        IncidentCategory.QuotaExceeded,
        IncidentCategory.AdmissionRejected,
        IncidentCategory.CertificateExpiry,
        IncidentCategory.VClusterSync,
        IncidentCategory.Storage,
        IncidentCategory.ConfigError,
        IncidentCategory.ImagePull,
        IncidentCategory.DNS,
        IncidentCategory.Unschedulable,
        IncidentCategory.OOMKilled,
        IncidentCategory.CrashLoop,
        IncidentCategory.ProbeFailure,
        IncidentCategory.NetworkService,
        IncidentCategory.Autoscaling,
        IncidentCategory.JobFailed,
        IncidentCategory.RolloutStuck,
        IncidentCategory.BusinessDegradation,
        IncidentCategory.MetricAnomaly,
    ];

    private static readonly int[] Ranks = BuildRanks();

    private static readonly HashSet<IncidentCategory> Consequences =
    [
        IncidentCategory.Unschedulable,
        IncidentCategory.RolloutStuck,
        IncidentCategory.JobFailed,
        IncidentCategory.NetworkService,
        IncidentCategory.Autoscaling,
        IncidentCategory.MetricAnomaly,
    ];

    /// <summary>
    /// Categories that describe how a workload is degraded rather than why (pods not scheduled, a
    /// rollout not progressing, a job not finishing, a Service without endpoints, an HPA unable to
    /// scale, a metric off its baseline). A finding of one of these without its own cause joins an
    /// incident whose root (a node, a quota, an admission policy, a vCluster) already holds the
    /// same workload, instead of opening one of its own. A workload's own faults (crashes, OOM,
    /// config, image) never move.
    /// </summary>
    public static bool IsConsequence(IncidentCategory category) => Consequences.Contains(category);

    /// <summary>Position of <paramref name="category"/> in <see cref="Order"/> (0 = most causal).</summary>
    public static int Rank(IncidentCategory category)
    {
        var index = (int)category;
        return index >= 0 && index < Ranks.Length ? Ranks[index] : int.MaxValue;
    }

    /// <summary>The more causal of two categories.</summary>
    public static IncidentCategory MostCausal(IncidentCategory first, IncidentCategory second) =>
        Rank(second) < Rank(first) ? second : first;

    private static int[] BuildRanks()
    {
        var values = Enum.GetValues<IncidentCategory>();
        var ranks = new int[values.Max(v => (int)v) + 1];
        Array.Fill(ranks, int.MaxValue);
        for (var i = 0; i < Order.Count; i++)
        {
            ranks[(int)Order[i]] = i;
        }

        return ranks;
    }
}
