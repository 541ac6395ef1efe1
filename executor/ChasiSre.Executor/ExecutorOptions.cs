using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Executor;

/// <summary>Settings of the executor (section <c>Executor</c>).</summary>
public sealed class ExecutorOptions
{
    public const string SectionName = "Executor";

    /// <summary>
    /// The <c>ActionPolicy</c> YAML file. Empty means the built-in <see cref="ActionPolicy.Default"/>: every tenant
    /// action needs approval and every host action is denied.
    /// </summary>
    [MaxLength(4096)]
    public string PolicyFile { get; set; } = "";

    /// <summary>
    /// How often <see cref="PolicyFile"/> is checked for new content (a mounted ConfigMap that the operator rewrites
    /// when an <c>ActionPolicy</c> changes). Zero: read once, at start.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PolicyReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The name of the cluster the executor's pod runs in (an <c>ObjectRef.cluster</c>, usually the host's), acted on
    /// with the pod's own service account, whose RBAC the Helm chart limits to the catalog's writes. Empty: none.
    /// </summary>
    [MaxLength(253)]
    public string InCluster { get; set; } = "";

    /// <summary>
    /// The executor's own kubeconfig (never ingest's): the credentials it changes objects with. Required when
    /// <see cref="Clusters"/> names any cluster.
    /// </summary>
    [MaxLength(4096)]
    public string Kubeconfig { get; set; } = "";

    /// <summary>
    /// Cluster name (an <c>ObjectRef.cluster</c>: the host cluster's name, or a vCluster's) to the context of
    /// <see cref="Kubeconfig"/> the executor uses for it. An action on a cluster missing here fails with that reason.
    /// </summary>
    public Dictionary<string, string> Clusters { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Business adapters <c>execute-runbook</c> may call, by <c>cluster/namespace/name</c> of the target
    /// <c>BusinessAdapter</c>.
    /// </summary>
    public Dictionary<string, RunbookAdapterOptions> Adapters { get; init; } = new(StringComparer.Ordinal);

    /// <summary>How long after execution the incident has to resolve for the action to count as verified.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VerificationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a settled action (denied, rejected, failed, rolled back, verified) and a resolved incident stay in the
    /// executor's memory after their last change. Their records stay on <c>chasi.actions.v1</c> and in ClickHouse; a
    /// request about an evicted action is ignored (logged). At least an hour: the per-tenant rate limit counts the last hour.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often verification deadlines are checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a diagnosis whose incident the executor has not seen yet is retried before its actions are denied
    /// (<c>chasi.incidents.v1</c> and <c>chasi.diagnoses.v1</c> are read by separate consumers).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan IncidentWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of one Kubernetes or adapter request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Prefix of the executor's Kafka consumer groups (<c>.diagnoses</c>, <c>.actions</c>, <c>.incidents</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,200}$")]
    public string GroupId { get; set; } = "chasi-executor";

    /// <summary>The <c>reportingInstance</c> of the Kubernetes Events the executor writes.</summary>
    [MaxLength(128)]
    public string Instance { get; set; } = Environment.MachineName;
}
