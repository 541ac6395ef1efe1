namespace ChasiSre.Ingest;

/// <summary>
/// The resources ingest watches in every cluster (issue [B]): workloads, their controllers,
/// networking, storage, policy and quota objects, admission webhooks, Events, and k8sgpt
/// <c>Result</c> custom resources where that CRD is served. A resource the cluster does not
/// serve (an old cluster without EndpointSlices, a cluster without k8sgpt) is skipped after
/// discovery, not treated as an error.
/// </summary>
public static class KubeResources
{
    /// <summary>core/v1 Pods.</summary>
    public static readonly KubeResource Pods = new("", "v1", "pods", "Pod", true);

    /// <summary>core/v1 Events (the API server serves the same events under events.k8s.io/v1).</summary>
    public static readonly KubeResource Events = new("", "v1", "events", "Event", true);

    /// <summary>core/v1 Secrets: metadata only ever leaves the watcher.</summary>
    public static readonly KubeResource Secrets = new("", "v1", "secrets", "Secret", true);

    /// <summary>core/v1 ConfigMaps: data only when opted in.</summary>
    public static readonly KubeResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);

    /// <summary>apps/v1 StatefulSets (vCluster control planes on the host are StatefulSets by default).</summary>
    public static readonly KubeResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);

    /// <summary>apps/v1 Deployments (vCluster control planes may also be Deployments).</summary>
    public static readonly KubeResource Deployments = new("apps", "v1", "deployments", "Deployment", true);

    /// <summary>k8sgpt-operator results (core.k8sgpt.ai), watched only where the CRD exists.</summary>
    public static readonly KubeResource K8sGptResults = new("core.k8sgpt.ai", "v1alpha1", "results", "Result", true);

    /// <summary>Everything watched by default, in start order (small, slow-changing kinds first).</summary>
    public static IReadOnlyList<KubeResource> Default { get; } =
    [
        new("", "v1", "namespaces", "Namespace", false),
        new("", "v1", "nodes", "Node", false),
        new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false),
        new("", "v1", "persistentvolumes", "PersistentVolume", false),
        new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
        new("", "v1", "resourcequotas", "ResourceQuota", true),
        new("", "v1", "limitranges", "LimitRange", true),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true),
        new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
        ConfigMaps,
        Secrets,
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        new("", "v1", "services", "Service", true),
        new("", "v1", "endpoints", "Endpoints", true),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
        new("batch", "v1", "cronjobs", "CronJob", true),
        new("batch", "v1", "jobs", "Job", true),
        new("apps", "v1", "daemonsets", "DaemonSet", true),
        StatefulSets,
        Deployments,
        new("apps", "v1", "replicasets", "ReplicaSet", true),
        Pods,
        Events,
        K8sGptResults,
    ];
}
