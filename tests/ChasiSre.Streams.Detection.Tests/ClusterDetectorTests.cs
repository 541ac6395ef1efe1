namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Node, storage, PVC, ConfigMap, HPA, PDB and RBAC detectors, table-driven.</summary>
public sealed class ClusterDetectorTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;

    private static readonly Dictionary<string, DetectorCase> Cases = new(StringComparer.Ordinal)
    {
        ["node-not-ready"] = new(c => c.Add(H, Objects.Node("w1", "[" + Objects.Condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.") + "]")), H, "Node", null, "w1"),
        ["node-disk-pressure"] = new(c => c.Add(H, Objects.Node("w1", Objects.HealthyNodeConditions().Replace("\"DiskPressure\",\"status\":\"False\"", "\"DiskPressure\",\"status\":\"True\"", StringComparison.Ordinal))), H, "Node", null, "w1"),
        ["node-memory-unknown"] = new(c => c.Add(H, Objects.Node("w1", Objects.HealthyNodeConditions().Replace("\"MemoryPressure\",\"status\":\"False\"", "\"MemoryPressure\",\"status\":\"Unknown\"", StringComparison.Ordinal))), H, "Node", null, "w1"),
        ["node-network-unavailable"] = new(c => c.Add(H, Objects.Node("w1", Objects.HealthyNodeConditions("," + Objects.Condition("NetworkUnavailable", "True", "NoRouteCreated")))), H, "Node", null, "w1"),
        ["node-healthy"] = new(c => c.Add(H, Objects.Node("w1", Objects.HealthyNodeConditions())), H, "Node", null, "w1"),
        ["node-nonstandard-condition"] = new(c => c.Add(H, Objects.Node("w1", Objects.HealthyNodeConditions(
            "," + Objects.Condition("KernelDeadlock", "True", "DockerHung") + "," + Objects.Condition("FrequentContainerdRestart", "True") + "," + Objects.Condition("CSIDriverReady", "Unknown")))), H, "Node", null, "w1"),
        ["fake-node-pressure"] = new(c => c.Add(A, Objects.Node("w1", Objects.HealthyNodeConditions().Replace("\"DiskPressure\",\"status\":\"False\"", "\"DiskPressure\",\"status\":\"True\"", StringComparison.Ordinal), labels: "{\"vcluster.loft.sh/fake-node\":\"true\"}")), A, "Node", null, "w1"),
        ["pvc-provisioning-failed"] = new(c =>
        {
            c.Add(A, Pvc("data", "Pending", "fast"));
            c.Add(A, Objects.Event("e1", "PersistentVolumeClaim", "data", "ProvisioningFailed", "failed to provision volume with StorageClass \"fast\": rpc error: quota exceeded"));
        }, A, "PersistentVolumeClaim", "shop", "data"),
        ["pvc-waiting-first-consumer"] = new(c =>
        {
            c.Add(A, Pvc("data", "Pending", "local"));
            c.Add(A, Objects.Event("e1", "PersistentVolumeClaim", "data", "WaitForFirstConsumer", "waiting for first consumer to be created before binding", type: "Normal"));
        }, A, "PersistentVolumeClaim", "shop", "data"),
        ["pvc-class-missing"] = new(c =>
        {
            c.Add(A, Pvc("data", "Pending", "gold"));
            c.Add(A, StorageClass("standard", "rancher.io/local-path"));
        }, A, "PersistentVolumeClaim", "shop", "data"),
        ["pvc-lost"] = new(c => c.Add(A, Pvc("data", "Lost", "fast")), A, "PersistentVolumeClaim", "shop", "data"),
        ["pvc-bound"] = new(c => c.Add(A, Pvc("data", "Bound", "fast")), A, "PersistentVolumeClaim", "shop", "data"),
        ["sc-no-provisioner"] = new(c => c.Add(H, StorageClass("local", "kubernetes.io/no-provisioner")), H, "StorageClass", null, "local"),
        ["sc-two-defaults"] = new(c =>
        {
            c.Add(H, StorageClass("a", "ebs.csi.aws.com", isDefault: true));
            c.Add(H, StorageClass("b", "rancher.io/local-path", isDefault: true));
        }, H, "StorageClass", null, "a"),
        ["sc-one-default"] = new(c =>
        {
            c.Add(H, StorageClass("a", "ebs.csi.aws.com", isDefault: true));
            c.Add(H, StorageClass("b", "rancher.io/local-path"));
        }, H, "StorageClass", null, "a"),
        ["pv-failed"] = new(c => c.Add(H, Pv("pv-1", "Failed")), H, "PersistentVolume", null, "pv-1"),
        ["pv-released"] = new(c => c.Add(H, Pv("pv-1", "Released")), H, "PersistentVolume", null, "pv-1"),
        ["pv-bound"] = new(c => c.Add(H, Pv("pv-1", "Bound")), H, "PersistentVolume", null, "pv-1"),
        ["cm-unused"] = new(c =>
        {
            c.Add(A, ConfigMap("web-config", "shop"));
            c.Add(A, Objects.Pod("web-7d9f-a"));
        }, A, "ConfigMap", "shop", "web-config"),
        ["cm-used-by-volume"] = new(c =>
        {
            c.Add(A, ConfigMap("web-config", "shop"));
            c.Add(A, Objects.Pod("web-7d9f-a", extraSpec: ",\"volumes\":[{\"name\":\"cfg\",\"configMap\":{\"name\":\"web-config\"}}]"));
        }, A, "ConfigMap", "shop", "web-config"),
        ["cm-used-by-env"] = new(c =>
        {
            c.Add(A, ConfigMap("web-config", "shop"));
            var pod = Objects.Pod("web-7d9f-a");
            pod["spec"]!["containers"]![0]!["env"] = System.Text.Json.Nodes.JsonNode.Parse("[{\"name\":\"MODE\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"web-config\",\"key\":\"mode\"}}}]");
            c.Add(A, pod);
        }, A, "ConfigMap", "shop", "web-config"),
        ["cm-used-only-in-other-namespace"] = new(c =>
        {
            c.Add(A, ConfigMap("web-config", "staging"));
            c.Add(A, ConfigMap("web-config", "shop"));
            c.Add(A, Objects.Pod("web-7d9f-a", extraSpec: ",\"volumes\":[{\"name\":\"cfg\",\"configMap\":{\"name\":\"web-config\"}}]"));
        }, A, "ConfigMap", "staging", "web-config"),
        ["cm-empty"] = new(c => c.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"empty","namespace":"shop","ownerReferences":[{"apiVersion":"v1","kind":"Secret","name":"x","uid":"u"}]}}""")), A, "ConfigMap", "shop", "empty"),
        ["cm-root-ca"] = new(c => c.Add(A, ConfigMap("kube-root-ca.crt", "shop")), A, "ConfigMap", "shop", "kube-root-ca.crt"),
        ["hpa-target-missing"] = new(c => c.Add(A, Hpa("[]")), A, "HorizontalPodAutoscaler", "shop", "web"),
        ["hpa-metrics-unavailable"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Hpa("[" + Objects.Condition("AbleToScale", "True") + "," + Objects.Condition("ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: missing request for memory") + "]"));
        }, A, "HorizontalPodAutoscaler", "shop", "web"),
        ["hpa-at-max"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Hpa("[" + Objects.Condition("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count") + "]", current: 10));
        }, A, "HorizontalPodAutoscaler", "shop", "web"),
        ["hpa-limited-at-min"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Hpa("[" + Objects.Condition("ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count") + "]", current: 2));
        }, A, "HorizontalPodAutoscaler", "shop", "web"),
        ["hpa-missing-requests"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Hpa("[]", metric: "memory"));
        }, A, "HorizontalPodAutoscaler", "shop", "web"),
        ["hpa-healthy"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Hpa("[" + Objects.Condition("AbleToScale", "True") + "," + Objects.Condition("ScalingActive", "True") + "," + Objects.Condition("ScalingLimited", "False") + "]"));
        }, A, "HorizontalPodAutoscaler", "shop", "web"),
        ["pdb-blocks-drains"] = new(c => c.Add(A, Pdb(expected: 1, healthy: 1, desired: 1)), A, "PodDisruptionBudget", "shop", "web"),
        ["pdb-pods-unhealthy"] = new(c => c.Add(A, Pdb(expected: 3, healthy: 1, desired: 2)), A, "PodDisruptionBudget", "shop", "web"),
        ["pdb-selects-none"] = new(c => c.Add(A, Pdb(expected: 0, healthy: 0, desired: 0)), A, "PodDisruptionBudget", "shop", "web"),
        ["pdb-allows"] = new(c => c.Add(A, Pdb(expected: 3, healthy: 3, desired: 2, allowed: true)), A, "PodDisruptionBudget", "shop", "web"),
        ["role-wildcard"] = new(c => c.Add(A, Objects.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"ops","namespace":"shop"},"rules":[{"apiGroups":[""],"resources":["*"],"verbs":["get"]}]}""")), A, "Role", "shop", "ops"),
        ["clusterrole-wildcard-verbs"] = new(c => c.Add(H, Objects.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"deployer"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["*"]}]}""")), H, "ClusterRole", null, "deployer"),
        ["cluster-admin"] = new(c => c.Add(H, Objects.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"cluster-admin"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}""")), H, "ClusterRole", null, "cluster-admin"),
        ["role-narrow"] = new(c => c.Add(A, Objects.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader","namespace":"shop"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}""")), A, "Role", "shop", "reader"),
    };

    public static TheoryData<string, string, string?, string?> Table => new()
    {
        { "node.conditions", "node-not-ready", "NodeUnreachable", "NodeFailure" },
        { "node.conditions", "node-disk-pressure", "DiskPressure", "NodePressure" },
        { "node.conditions", "node-memory-unknown", "MemoryPressure", "NodePressure" },
        { "node.conditions", "node-network-unavailable", "NetworkUnavailable", "NodeFailure" },
        { "node.conditions", "node-healthy", null, null },
        { "node.conditions", "node-nonstandard-condition", null, null },
        { "node.conditions", "fake-node-pressure", null, null },
        { "pvc.pending", "pvc-provisioning-failed", "ProvisioningFailed", "Storage" },
        { "pvc.pending", "pvc-waiting-first-consumer", null, null },
        { "pvc.pending", "pvc-class-missing", "StorageClassMissing", "Storage" },
        { "pvc.pending", "pvc-lost", "ClaimLost", "Storage" },
        { "pvc.pending", "pvc-bound", null, null },
        { "storage.config", "sc-no-provisioner", "NoProvisioner", "Storage" },
        { "storage.config", "sc-two-defaults", "MultipleDefaults", "Storage" },
        { "storage.config", "sc-one-default", null, null },
        { "storage.config", "pv-failed", "VolumeFailed", "Storage" },
        { "storage.config", "pv-released", "VolumeReleased", "Storage" },
        { "storage.config", "pv-bound", null, null },
        { "configmap.usage", "cm-unused", "Unused", "ConfigError" },
        { "configmap.usage", "cm-used-by-volume", null, null },
        { "configmap.usage", "cm-used-by-env", null, null },
        { "configmap.usage", "cm-used-only-in-other-namespace", "Unused", "ConfigError" },
        { "configmap.usage", "cm-empty", "Empty", "ConfigError" },
        { "configmap.usage", "cm-root-ca", null, null },
        { "hpa.health", "hpa-target-missing", "TargetMissing", "Autoscaling" },
        { "hpa.health", "hpa-metrics-unavailable", "FailedGetResourceMetric", "Autoscaling" },
        { "hpa.health", "hpa-at-max", "TooManyReplicas", "Autoscaling" },
        { "hpa.health", "hpa-limited-at-min", null, null },
        { "hpa.health", "hpa-missing-requests", "MissingRequests", "Autoscaling" },
        { "hpa.health", "hpa-healthy", null, null },
        { "pdb.disruptions", "pdb-blocks-drains", "NoDisruptionsAllowed", "ConfigError" },
        { "pdb.disruptions", "pdb-pods-unhealthy", null, null },
        { "pdb.disruptions", "pdb-selects-none", "SelectsNoPods", "ConfigError" },
        { "pdb.disruptions", "pdb-allows", null, null },
        { "security.rbac", "role-wildcard", "WildcardRule", "ConfigError" },
        { "security.rbac", "clusterrole-wildcard-verbs", "WildcardRule", "ConfigError" },
        { "security.rbac", "cluster-admin", null, null },
        { "security.rbac", "role-narrow", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_ClusterCase_ExpectedFinding(string detector, string caseName, string? reason, string? category) =>
        Cases[caseName].Expect(detector, reason, category);

    [Fact]
    public void Detect_NodeWithPressureAndStandardEvents_EvidenceHasConditionAndEvents()
    {
        var clusters = new TestClusters(TestClusters.T0);
        Cases["node-disk-pressure"].Setup(clusters);
        clusters.Add(H, Objects.Event("n1", "Node", "w1", "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", ns: "default", count: 4));
        clusters.Add(H, Objects.Event("n2", "Pod", "w1", "Evicted", "not about the node", ns: "default"));

        var finding = Assert.Single(clusters.Detect(new Detectors.NodeConditionDetector(), H, "Node", null, "w1"));

        Assert.Contains(finding.Evidence, e => e.StartsWith("condition DiskPressure=True", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("EvictionThresholdMet x4", StringComparison.Ordinal) && e.Contains("ephemeral-storage", StringComparison.Ordinal));
        Assert.DoesNotContain(finding.Evidence, e => e.Contains("not about the node", StringComparison.Ordinal));
    }

    private static System.Text.Json.Nodes.JsonObject Pvc(string name, string phase, string storageClass) => Objects.Parse($$$"""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-pvc-{{{name}}}"},
         "spec":{"storageClassName":"{{{storageClass}}}","volumeName":"pv-1","resources":{"requests":{"storage":"10Gi"} } },"status":{"phase":"{{{phase}}}"}}
        """);

    private static System.Text.Json.Nodes.JsonObject StorageClass(string name, string provisioner, bool isDefault = false) => Objects.Parse($$$"""
        {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"{{{name}}}","annotations":{"storageclass.kubernetes.io/is-default-class":"{{{(isDefault ? "true" : "false")}}}"} },"provisioner":"{{{provisioner}}}"}
        """);

    private static System.Text.Json.Nodes.JsonObject Pv(string name, string phase) => Objects.Parse($$$"""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"{{{name}}}"},"spec":{"persistentVolumeReclaimPolicy":"Retain","claimRef":{"namespace":"shop","name":"data"} },"status":{"phase":"{{{phase}}}"}}
        """);

    private static System.Text.Json.Nodes.JsonObject ConfigMap(string name, string ns) => Objects.Parse($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"mode":"prod"} }
        """);

    private static System.Text.Json.Nodes.JsonObject Hpa(string conditions, int current = 3, string metric = "cpu") => Objects.Parse($$$"""
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"shop"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":10,
                 "metrics":[{"type":"Resource","resource":{"name":"{{{metric}}}","target":{"type":"Utilization","averageUtilization":80} } }]},
         "status":{"currentReplicas":{{{current}}},"desiredReplicas":{{{current}}},"conditions":{{{conditions}}}}}
        """);

    private static System.Text.Json.Nodes.JsonObject Pdb(int expected, int healthy, int desired, bool allowed = false) => Objects.Parse($$$"""
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web","namespace":"shop"},
         "spec":{"minAvailable":"{{{desired}}}","selector":{"matchLabels":{"app":"web"} } },
         "status":{"expectedPods":{{{expected}}},"currentHealthy":{{{healthy}}},"desiredHealthy":{{{desired}}},"disruptionsAllowed":{{{(allowed ? 1 : 0)}}},
                   "conditions":[{"type":"DisruptionAllowed","status":"{{{(allowed ? "True" : "False")}}}","reason":"{{{(allowed ? "SufficientPods" : "InsufficientPods")}}}"}]}}
        """);
}
