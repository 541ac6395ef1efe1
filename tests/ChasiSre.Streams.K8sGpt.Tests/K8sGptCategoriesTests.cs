using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt.Tests;

public sealed class K8sGptCategoriesTests
{
    [Theory]
    [InlineData("Pod", "back-off 5m0s restarting failed container=api pod=api-0_shop(uid)", IncidentCategory.CrashLoop, "CrashLoopBackOff")]
    [InlineData("Pod", "the last termination reason is Error container=api pod=api-0", IncidentCategory.CrashLoop, "CrashLoopBackOff")]
    [InlineData("Pod", "Back-off pulling image \"nginx:does-not-exist\"", IncidentCategory.ImagePull, "ImagePull")]
    [InlineData("Pod", "rpc error: code = NotFound desc = failed to pull and unpack image \"x\": manifest unknown", IncidentCategory.ImagePull, "ImagePull")]
    [InlineData("Pod", "the last termination reason is OOMKilled container=api pod=api-0", IncidentCategory.OOMKilled, "OOMKilled")]
    [InlineData("Pod", "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available", IncidentCategory.Unschedulable, "Unschedulable")]
    [InlineData("Pod", "Readiness probe failed: HTTP probe failed with statuscode: 503", IncidentCategory.ProbeFailure, "ProbeFailed")]
    [InlineData("Pod", "Error: configmap \"api-config\" not found", IncidentCategory.ConfigError, "ConfigMissing")]
    [InlineData("Pod", "MountVolume.SetUp failed for volume \"data\" : secret-less volume", IncidentCategory.Storage, "VolumeProblem")]
    [InlineData("Pod", "The node was low on resource: memory. Threshold quantity: 100Mi", IncidentCategory.NodePressure, "Evicted")]
    [InlineData("Pod", "Something k8sgpt has not said before", IncidentCategory.CrashLoop, "PodProblem")]
    [InlineData("ReplicaSet", "pods \"web-1\" is forbidden: exceeded quota: compute, requested: cpu=2", IncidentCategory.QuotaExceeded, "QuotaExceeded")]
    [InlineData("ReplicaSet", "pods \"web-1\" is forbidden: violates PodSecurity \"restricted:latest\"", IncidentCategory.AdmissionRejected, "AdmissionDenied")]
    [InlineData("Log", "dial tcp: lookup db.shop.svc on 10.96.0.10:53: no such host", IncidentCategory.DNS, "DnsFailure")]
    [InlineData("Log", "tls: failed to verify certificate: x509: certificate has expired or is not yet valid", IncidentCategory.CertificateExpiry, "CertificateExpired")]
    [InlineData("Log", "panic: runtime error", IncidentCategory.MetricAnomaly, "PodProblem")]
    [InlineData("Service", "Service has no endpoints, expected label app=web", IncidentCategory.NetworkService, "NoEndpoints")]
    [InlineData("Service", "Service has not ready endpoints, pods: [Pod/web-1], expected 1", IncidentCategory.NetworkService, "NoEndpoints")]
    [InlineData("Ingress", "Ingress uses the ingress class nginx which does not exist.", IncidentCategory.NetworkService, "IngressProblem")]
    [InlineData("PersistentVolumeClaim", "storageclass.storage.k8s.io \"fast\" not found", IncidentCategory.Storage, "PersistentVolumeClaimProblem")]
    [InlineData("Node", "worker-1 has condition of type Ready, reason KubeletNotReady", IncidentCategory.NodeFailure, "NodeProblem")]
    [InlineData("Node", "worker-1 has condition of type MemoryPressure, reason KubeletHasInsufficientMemory", IncidentCategory.NodePressure, "NodePressure")]
    [InlineData("Deployment", "Deployment shop/web has 1 replicas but 3 are available", IncidentCategory.RolloutStuck, "DeploymentProblem")]
    [InlineData("StatefulSet", "StatefulSet uses the service shop/db which does not exist.", IncidentCategory.RolloutStuck, "StatefulSetProblem")]
    [InlineData("CronJob", "CronJob nightly has an invalid schedule: expected exactly 5 fields", IncidentCategory.JobFailed, "CronJobProblem")]
    [InlineData("HorizontalPodAutoScaler", "HorizontalPodAutoscaler uses Deployment/web as ScaleTargetRef which does not exist.", IncidentCategory.Autoscaling, "HorizontalPodAutoscalerProblem")]
    [InlineData("ValidatingWebhookConfiguration", "Validating Webhook (policy) is pointing to an inactive receiver pod (kyverno-0)", IncidentCategory.AdmissionRejected, "ValidatingWebhookConfigurationProblem")]
    [InlineData("SomethingCustom", "disk /dev/sda1 is 97% full", IncidentCategory.ConfigError, "SomethingCustomProblem")]
    public void Classify_KindAndText_CategoryAndReason(string kind, string text, IncidentCategory category, string reason)
    {
        var classification = K8sGptCategories.Classify(kind, [text]);

        Assert.Equal((category, reason), (classification.Category, classification.Reason));
    }

    [Fact]
    public void Classify_AliasKinds_CanonicalKindAndApiVersion()
    {
        Assert.Equal(("HorizontalPodAutoscaler", "autoscaling/v2"), Pair(K8sGptCategories.Classify("HorizontalPodAutoScaler", ["x"])));
        Assert.Equal(("Pod", "v1"), Pair(K8sGptCategories.Classify("Log", ["x"])));
        Assert.Equal(("Deployment", "apps/v1"), Pair(K8sGptCategories.Classify("deployment", ["x"])));
        Assert.Equal(("Widget", ""), Pair(K8sGptCategories.Classify("Widget", ["x"])));

        static (string, string) Pair(K8sGptClassification c) => (c.Kind, c.ApiVersion);
    }

    [Fact]
    public void Classify_BackOffOnNonPod_NotCrashLoop()
    {
        Assert.Equal(IncidentCategory.JobFailed, K8sGptCategories.Classify("Job", ["Job has reached the specified backoff limit"]).Category);
    }

    [Theory]
    [InlineData(IncidentCategory.ProbeFailure, Severity.Warning)]
    [InlineData(IncidentCategory.NodePressure, Severity.Warning)]
    [InlineData(IncidentCategory.CrashLoop, Severity.Error)]
    [InlineData(IncidentCategory.NodeFailure, Severity.Error)]
    public void SeverityOf_Category_Severity(IncidentCategory category, Severity severity) =>
        Assert.Equal(severity, K8sGptCategories.SeverityOf(category));
}
