using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>A vCluster pod waiting on a ConfigMap or claim whose host twin the host refuses (a webhook, a quota): the
/// syncer's error on that object explains the pod.</summary>
public sealed class VClusterSyncDependencyTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;
    private const string HostNs = "vcluster-team-a";
    private const string WebhookDenial = "Error syncing to host cluster: create object: admission webhook \"validate.kyverno.svc-fail\" denied the request: resource ConfigMap/vcluster-team-a/web-config-x-shop-x-team-a was blocked";

    [Fact]
    public void Detect_ConfigMapTwinDeniedByHostWebhook_AdmissionRejectedCausedByTheWebhook()
    {
        var clusters = Setup(withSyncError: true);
        var detector = new VClusterSyncErrorDetector();

        var fromPod = Assert.Single(clusters.Detect(detector, A, "Pod", "shop", "web-7d9f-a"));
        var fromConfigMap = Assert.Single(clusters.Detect(detector, A, "ConfigMap", "shop", "web-config"));

        Assert.Equal(fromPod.Key, fromConfigMap.Key);
        Assert.Equal((IncidentCategory.AdmissionRejected, "WebhookDenied"), (fromPod.Category, fromPod.Reason));
        Assert.Equal(("Deployment", "web"), (fromPod.Subject.Kind, fromPod.Subject.Name));
        Assert.Equal((H, "ValidatingWebhookConfiguration", "kyverno-resource-validating-webhook-cfg"), (fromPod.Cause?.Cluster, fromPod.Cause?.Kind, fromPod.Cause?.Name));
        Assert.Contains("the twin of ConfigMap shop/web-config it needs", fromPod.Message, StringComparison.Ordinal);
        Assert.Contains(fromPod.Evidence, e => e.Contains("SyncError", StringComparison.Ordinal) && e.Contains("on ConfigMap shop/web-config", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_ConfigMapWithoutSyncError_NoFinding()
    {
        var clusters = Setup(withSyncError: false);
        var detector = new VClusterSyncErrorDetector();

        Assert.Empty(clusters.Detect(detector, A, "Pod", "shop", "web-7d9f-a"));
        Assert.Empty(clusters.Detect(detector, A, "ConfigMap", "shop", "web-config"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Detect_ContainerConfigErrorOfARefusedTwin_CauseIsWhatRefusedIt(bool withSyncError)
    {
        var clusters = Setup(withSyncError);

        var finding = Assert.Single(clusters.Detect(new PodContainerConfigDetector(), A, "Pod", "shop", "web-7d9f-a"));

        Assert.Equal(IncidentCategory.ConfigError, finding.Category);
        Assert.Equal(withSyncError ? "ValidatingWebhookConfiguration" : null, finding.Cause?.Kind);
    }

    [Fact]
    public void Detect_ClaimTwinOverHostQuota_QuotaExceededCausedByTheHostQuota()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(H, Objects.Parse("""{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"vc-team-a","namespace":"vcluster-team-a"},"status":{"hard":{"requests.storage":"50Gi"},"used":{"requests.storage":"40Gi"}}}"""));
        clusters.Add(A, Objects.Parse("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"postgres","namespace":"shop","uid":"uid-sts-postgres"},"spec":{"replicas":1,"serviceName":"postgres"},"status":{"replicas":1,"readyReplicas":0}}"""));
        clusters.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data-postgres-0","namespace":"shop","uid":"uid-pvc-data"},"spec":{"resources":{"requests":{"storage":"20Gi"}}},"status":{"phase":"Pending"}}"""));
        clusters.Add(A, Objects.Pod("postgres-0", ownerKind: "StatefulSet", ownerName: "postgres", phase: "Pending", ready: false, labels: "{\"app\":\"postgres\"}",
            extraSpec: ",\"volumes\":[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data-postgres-0\"}}]"));
        clusters.Add(A, Objects.Event("s1", "PersistentVolumeClaim", "data-postgres-0", "SyncError",
            "Error syncing to host cluster: create object: persistentvolumeclaims \"data-postgres-0-x-shop-x-team-a\" is forbidden: exceeded quota: vc-team-a, requested: requests.storage=20Gi, used: requests.storage=40Gi, limited: requests.storage=50Gi", count: 6));

        var finding = Assert.Single(clusters.Detect(new VClusterSyncErrorDetector(), A, "PersistentVolumeClaim", "shop", "data-postgres-0"));

        Assert.Equal((IncidentCategory.QuotaExceeded, "StatefulSet", "postgres"), (finding.Category, finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal((H, "ResourceQuota", HostNs, "vc-team-a"), (finding.Cause?.Cluster, finding.Cause?.Kind, finding.Cause?.Namespace, finding.Cause?.Name));
        Assert.Contains(finding.Evidence, e => e.Contains("requests.storage", StringComparison.Ordinal));
    }

    private static TestClusters Setup(bool withSyncError)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(H, Objects.Parse("""
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"kyverno-resource-validating-webhook-cfg"},
             "webhooks":[{"name":"validate.kyverno.svc-fail","failurePolicy":"Fail","clientConfig":{"service":{"name":"kyverno-svc","namespace":"kyverno"}}}]}
            """));
        clusters.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web-config","namespace":"shop","uid":"uid-cm-web-config"},"data":{"MODE":"prod"}}"""));
        clusters.Add(A, Objects.Deployment("web", replicas: 1, ready: 0));
        clusters.Add(A, Objects.ReplicaSet("web-7d9f", "web", replicas: 1));
        var pod = Objects.Pod("web-7d9f-a", phase: "Pending", ready: false,
            containerState: """{"waiting":{"reason":"CreateContainerConfigError","message":"configmap \"web-config-x-shop-x-team-a\" not found"}}""",
            extraSpec: ",\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\"web-config\"}}]");
        clusters.Add(A, pod);
        if (withSyncError)
        {
            clusters.Add(A, Objects.Event("s1", "ConfigMap", "web-config", "SyncError", WebhookDenial, count: 12));
        }

        return clusters;
    }
}
