namespace ChasiSre.Ingest.Simulator;

/// <summary>The built-in resources of a v1.33 API server that ChasiSre reads.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "Pod", "pods", true) { ShortNames = ["po"], Categories = ["all"], Subresources = ["log", "status"] },
        new("", "v1", "Event", "events", true) { ShortNames = ["ev"] },
        new("", "v1", "Node", "nodes", false) { ShortNames = ["no"], Subresources = ["status"] },
        new("", "v1", "Namespace", "namespaces", false) { ShortNames = ["ns"], Subresources = ["status"] },
        new("", "v1", "Service", "services", true) { ShortNames = ["svc"], Categories = ["all"], Subresources = ["status"] },
        new("", "v1", "Endpoints", "endpoints", true) { ShortNames = ["ep"], Singular = "endpoints" },
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true) { ShortNames = ["pvc"], Subresources = ["status"] },
        new("", "v1", "PersistentVolume", "persistentvolumes", false) { ShortNames = ["pv"], Subresources = ["status"] },
        new("", "v1", "ConfigMap", "configmaps", true) { ShortNames = ["cm"] },
        new("", "v1", "Secret", "secrets", true),
        new("", "v1", "ServiceAccount", "serviceaccounts", true) { ShortNames = ["sa"] },
        new("", "v1", "ResourceQuota", "resourcequotas", true) { ShortNames = ["quota"], Subresources = ["status"] },
        new("", "v1", "LimitRange", "limitranges", true) { ShortNames = ["limits"] },
        new("", "v1", "ReplicationController", "replicationcontrollers", true) { ShortNames = ["rc"], Categories = ["all"], Subresources = ["status", "scale"] },
        new("apps", "v1", "Deployment", "deployments", true) { ShortNames = ["deploy"], Categories = ["all"], Subresources = ["status", "scale"] },
        new("apps", "v1", "ReplicaSet", "replicasets", true) { ShortNames = ["rs"], Categories = ["all"], Subresources = ["status", "scale"] },
        new("apps", "v1", "StatefulSet", "statefulsets", true) { ShortNames = ["sts"], Categories = ["all"], Subresources = ["status", "scale"] },
        new("apps", "v1", "DaemonSet", "daemonsets", true) { ShortNames = ["ds"], Categories = ["all"], Subresources = ["status"] },
        new("apps", "v1", "ControllerRevision", "controllerrevisions", true),
        new("batch", "v1", "Job", "jobs", true) { Categories = ["all"], Subresources = ["status"] },
        new("batch", "v1", "CronJob", "cronjobs", true) { ShortNames = ["cj"], Categories = ["all"], Subresources = ["status"] },
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true) { ShortNames = ["hpa"], Categories = ["all"], Subresources = ["status"] },
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true) { ShortNames = ["pdb"], Subresources = ["status"] },
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
        new("events.k8s.io", "v1", "Event", "events", true) { ShortNames = ["ev"], StorageKey = "events" },
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true) { ShortNames = ["ing"], Subresources = ["status"] },
        new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true) { ShortNames = ["netpol"] },
        new("storage.k8s.io", "v1", "StorageClass", "storageclasses", false) { ShortNames = ["sc"] },
        new("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
        new("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
        new("coordination.k8s.io", "v1", "Lease", "leases", true),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false) { ShortNames = ["crd", "crds"], Categories = ["api-extensions"], Subresources = ["status"] },
    ];
}
