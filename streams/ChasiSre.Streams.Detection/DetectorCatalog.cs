using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// Every detector, for the composition root to register (detectors do not register themselves; there is no static
/// registry they read). <see cref="Incidents"/> are the ones that report something broken now (the streams topology and
/// <c>chasi analyze</c> run these); <see cref="Posture"/> are audits (unused ConfigMaps, permissive NetworkPolicies,
/// security posture) that k8sgpt also runs only on request; <see cref="All"/> is both.
/// </summary>
public static class DetectorCatalog
{
    /// <summary>Detectors of current failures: pods, workloads, services, storage, nodes, admission, vClusters, logs.</summary>
    public static IReadOnlyList<IDetector> Incidents() =>
    [
        new PodCrashLoopDetector(),
        new PodImagePullDetector(),
        new PodContainerConfigDetector(),
        new PodUnschedulableDetector(),
        new PodEvictionDetector(),
        new PodContainerCreatingDetector(),
        new PodProbeFailureDetector(),
        new PodRestartHistoryDetector(),
        new DeploymentRolloutDetector(),
        new WorkloadCreateRejectedDetector(),
        new StatefulSetDetector(),
        new DaemonSetDetector(),
        new JobFailureDetector(),
        new CronJobDetector(),
        new ServiceEndpointsDetector(),
        new IngressDetector(),
        new GatewayApiDetector(),
        new PvcPendingDetector(),
        new StorageDetector(),
        new NodeConditionDetector(),
        new AdmissionWebhookDetector(),
        new HpaDetector(),
        new PdbDetector(),
        new LogCertificateExpiryDetector(),
        new LogDnsFailureDetector(),
        new LogErrorDetector(),
        new VClusterSyncErrorDetector(),
        new VClusterTwinDetector(),
        new VClusterControlPlaneDetector(),
    ];

    /// <summary>Audit detectors: findings about configuration hygiene rather than an outage.</summary>
    public static IReadOnlyList<IDetector> Posture() =>
    [
        new ConfigMapDetector(),
        new NetworkPolicyDetector(),
        new PodSecurityDetector(),
        new RbacWildcardDetector(),
    ];

    /// <summary>Every detector.</summary>
    public static IReadOnlyList<IDetector> All() => [.. Incidents(), .. Posture()];
}
