using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Operator;

/// <summary>Settings of the operator (section <c>Operator</c>).</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>Kubeconfig file of the host cluster; unset = <c>KUBECONFIG</c>, <c>~/.kube/config</c>, or the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig context; unset = the current context.</summary>
    public string? Context { get; set; }

    /// <summary>Namespace whose chasi.io resources are reconciled; empty = every namespace.</summary>
    [MaxLength(63)]
    public string WatchNamespace { get; set; } = "";

    /// <summary>Namespace of the leader election Lease (the operator's own namespace).</summary>
    [Required]
    [MaxLength(63)]
    public string LeaseNamespace { get; set; } = "chasi-system";

    /// <summary>Name of the coordination.k8s.io/v1 Lease the replicas compete for.</summary>
    [Required]
    [MaxLength(253)]
    public string LeaseName { get; set; } = "chasi-operator";

    /// <summary>This replica's identity in the Lease; empty = <c>POD_NAME</c>, else the host name.</summary>
    [MaxLength(253)]
    public string Identity { get; set; } = "";

    /// <summary>How long a Lease is valid without renewal (followers wait this long before taking over).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire or renew.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every resource is reconciled again this often (drift correction, vClusters that appeared).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The server-side apply field manager of everything the operator writes.</summary>
    [Required]
    [MaxLength(128)]
    public string FieldManager { get; set; } = "chasi-operator";

    /// <summary>The image of the agent's workloads when an SreAgent names none (the chart's default: repository and appVersion).</summary>
    [Required]
    public string DefaultImage { get; set; } = "ghcr.io/chasi-sre/chasi:0.1.0";

    /// <summary>The ConfigMap (in each ActionPolicy's namespace) that holds the valid policies, one key <c>&lt;name&gt;.yaml</c> each; the executor mounts it.</summary>
    [Required]
    [MaxLength(253)]
    public string PolicyConfigMap { get; set; } = "chasi-executor-policies";

    /// <summary>The host cluster's name in the records the operator publishes (knowledge documents).</summary>
    [Required]
    public string ClusterName { get; set; } = "host";

    /// <summary>The API server of a vCluster, reached from inside the host cluster; <c>{name}</c> and <c>{namespace}</c> are replaced. An SreAgent's <c>spec.distributed.endpointTemplate</c> wins.</summary>
    [Required]
    public string VClusterEndpointTemplate { get; set; } = "https://{name}.{namespace}:443";

    /// <summary>Timeout of one API request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
