namespace ChasiSre.Streams.Detection;

/// <summary>
/// The closed list of incident categories (scenarios/FORMAT.md). On the wire the category is the
/// member's name (<c>Signal.category</c>, <c>Incident.category</c>).
/// </summary>
public enum IncidentCategory
{
    /// <summary>Containers restarting after crashes.</summary>
    CrashLoop,

    /// <summary>Images that cannot be pulled or are invalid.</summary>
    ImagePull,

    /// <summary>Containers killed for memory.</summary>
    OOMKilled,

    /// <summary>Pods that cannot be scheduled.</summary>
    Unschedulable,

    /// <summary>Liveness, readiness or startup probes failing.</summary>
    ProbeFailure,

    /// <summary>Missing or invalid configuration (env, ConfigMap or Secret keys, container config).</summary>
    ConfigError,

    /// <summary>Volumes, claims and storage classes.</summary>
    Storage,

    /// <summary>Services without endpoints, ingress backends, network policies.</summary>
    NetworkService,

    /// <summary>Name resolution failures.</summary>
    DNS,

    /// <summary>Nodes not ready or unreachable.</summary>
    NodeFailure,

    /// <summary>Memory, disk or PID pressure on nodes, and evictions.</summary>
    NodePressure,

    /// <summary>Rollouts that do not progress.</summary>
    RolloutStuck,

    /// <summary>Jobs and CronJobs that fail or do not run.</summary>
    JobFailed,

    /// <summary>ResourceQuota or LimitRange rejections.</summary>
    QuotaExceeded,

    /// <summary>Admission (PodSecurity, webhooks) rejections.</summary>
    AdmissionRejected,

    /// <summary>vCluster syncer errors and host/virtual desync.</summary>
    VClusterSync,

    /// <summary>A vCluster's control plane unhealthy or unreachable.</summary>
    VClusterControlPlane,

    /// <summary>Expired or expiring certificates.</summary>
    CertificateExpiry,

    /// <summary>HPA problems.</summary>
    Autoscaling,

    /// <summary>Statistical anomalies in metrics.</summary>
    MetricAnomaly,

    /// <summary>A business system reporting degradation.</summary>
    BusinessDegradation,
}
