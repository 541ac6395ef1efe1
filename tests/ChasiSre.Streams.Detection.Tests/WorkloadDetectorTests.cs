using System.Text.Json.Nodes;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Deployment, ReplicaSet/controller rejections, StatefulSet, DaemonSet, Job and CronJob detectors, table-driven.</summary>
public sealed class WorkloadDetectorTests
{
    private const string A = "team-a";

    private static readonly Dictionary<string, DetectorCase> Cases = new(StringComparer.Ordinal)
    {
        ["deploy-deadline-exceeded"] = new(c => c.Add(A, Objects.Deployment("web", ready: 1, conditions: "[" + Objects.Condition("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet web-2 has timed out progressing.") + "]")), A, "Deployment", "shop", "web"),
        ["deploy-rolling-update"] = new(c => c.Add(A, Objects.Deployment("web", replicas: 4, ready: 3, updated: 2,
            conditions: "[" + Objects.Condition("Progressing", "True", "ReplicaSetUpdated", since: -60) + "," + Objects.Condition("Available", "True", "MinimumReplicasAvailable") + "]")), A, "Deployment", "shop", "web"),
        ["deploy-short-within-deadline"] = new(c => c.Add(A, Objects.Deployment("web", ready: 1,
            conditions: "[" + Objects.Condition("Available", "False", "MinimumReplicasUnavailable", since: -120) + "]")), A, "Deployment", "shop", "web"),
        ["deploy-short-past-deadline"] = new(c => c.Add(A, Objects.Deployment("web", ready: 0,
            conditions: "[" + Objects.Condition("Available", "False", "MinimumReplicasUnavailable", since: -1800) + "]")), A, "Deployment", "shop", "web"),
        ["deploy-healthy"] = new(c => c.Add(A, Objects.Deployment("web")), A, "Deployment", "shop", "web"),
        ["rs-quota"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", conditions: "[" + Objects.Condition("ReplicaFailure", "True", "FailedCreate", "pods \\\"web-7d9f-x\\\" is forbidden: exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=4, limited: requests.cpu=4") + "]"));
            c.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"compute","namespace":"shop"},"status":{"hard":{"requests.cpu":"4"},"used":{"requests.cpu":"4"}}}"""));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-limitrange"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", readyReplicas: 0, statusReplicas: 0));
            c.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"limits","namespace":"shop"},"spec":{"limits":[{"type":"Container","max":{"memory":"512Mi"}}]}}"""));
            c.Add(A, Objects.Event("e1", "ReplicaSet", "web-7d9f", "FailedCreate", "Error creating: pods \"web-7d9f-x\" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-podsecurity"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", readyReplicas: 0, statusReplicas: 0));
            c.Add(A, Objects.Event("e1", "ReplicaSet", "web-7d9f", "FailedCreate", "Error creating: pods \"web-7d9f-x\" is forbidden: violates PodSecurity \"restricted:latest\": privileged (container \"app\" must not set securityContext.privileged=true)"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-webhook"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", readyReplicas: 0, statusReplicas: 0));
            c.Add(A, Objects.Parse("""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"gatekeeper"},"webhooks":[{"name":"validation.gatekeeper.sh","clientConfig":{"url":"https://gk.example"}}]}"""));
            c.Add(A, Objects.Event("e1", "ReplicaSet", "web-7d9f", "FailedCreate", "Error creating: admission webhook \"validation.gatekeeper.sh\" denied the request: image registry not allowed"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-generic"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", readyReplicas: 0, statusReplicas: 0));
            c.Add(A, Objects.Event("e1", "ReplicaSet", "web-7d9f", "FailedCreate", "Error creating: pods \"web-7d9f-x\" is forbidden: error looking up service account shop/web: serviceaccount \"web\" not found"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-healthy"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-old-failedcreate-recovered"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web"));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web"));
            c.Add(A, Objects.Event("e1", "ReplicaSet", "web-7d9f", "FailedCreate", "Error creating: pods is forbidden: exceeded quota: compute"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["rs-failedcreate-on-deployment-namesake"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web-7d9f", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web", readyReplicas: 0, statusReplicas: 0));
            c.Add(A, Objects.Event("e1", "Deployment", "web-7d9f", "FailedCreate", "exceeded quota: compute"));
        }, A, "ReplicaSet", "shop", "web-7d9f"),
        ["sts-service-missing"] = new(c => c.Add(A, StatefulSet("db", "db-headless", readyReplicas: 1)), A, "StatefulSet", "shop", "db"),
        ["sts-storageclass-missing"] = new(c =>
        {
            c.Add(A, StatefulSet("db", "db", readyReplicas: 1, storageClass: "fast-ssd"));
            c.Add(A, Objects.Service("db"));
            c.Add(A, Objects.Parse("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"standard"},"provisioner":"rancher.io/local-path"}"""));
            c.Add(A, Objects.Pod("db-0", ownerKind: "StatefulSet", ownerName: "db"));
        }, A, "StatefulSet", "shop", "db"),
        ["sts-ordinal-pending"] = new(c =>
        {
            c.Add(A, StatefulSet("db", "db", readyReplicas: 1, replicas: 2));
            c.Add(A, Objects.Service("db"));
            c.Add(A, Objects.Pod("db-0", ownerKind: "StatefulSet", ownerName: "db"));
            c.Add(A, Objects.Pod("db-1", ownerKind: "StatefulSet", ownerName: "db", phase: "Pending", ready: false));
        }, A, "StatefulSet", "shop", "db"),
        ["sts-healthy"] = new(c =>
        {
            c.Add(A, StatefulSet("db", "db", readyReplicas: 1));
            c.Add(A, Objects.Service("db"));
            c.Add(A, Objects.Pod("db-0", ownerKind: "StatefulSet", ownerName: "db"));
        }, A, "StatefulSet", "shop", "db"),
        ["ds-not-ready"] = new(c => c.Add(A, DaemonSet("agent", desired: 3, ready: 1)), A, "DaemonSet", "shop", "agent"),
        ["ds-rolling-within-budget"] = new(c => c.Add(A, DaemonSet("agent", desired: 3, ready: 2, updated: 1)), A, "DaemonSet", "shop", "agent"),
        ["ds-pull-secret-missing"] = new(c => c.Add(A, DaemonSet("agent", desired: 3, ready: 3, pullSecret: "regcred")), A, "DaemonSet", "shop", "agent"),
        ["ds-pull-secret-present"] = new(c =>
        {
            c.Add(A, DaemonSet("agent", desired: 3, ready: 3, pullSecret: "regcred"));
            c.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"regcred","namespace":"shop"},"data":{".dockerconfigjson":"e30="}}"""));
        }, A, "DaemonSet", "shop", "agent"),
        ["job-backoff"] = new(c =>
        {
            c.Add(A, Job("migrate", failed: 4, conditions: "[" + Objects.Condition("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit") + "]"));
            c.Add(A, Objects.Pod("migrate-x", ownerKind: "Job", ownerName: "migrate", phase: "Failed", ready: false, containerState: """{"terminated":{"exitCode":3,"reason":"Error"}}"""));
        }, A, "Job", "shop", "migrate"),
        ["job-suspended"] = new(c => c.Add(A, Job("migrate", suspend: true)), A, "Job", "shop", "migrate"),
        ["job-failing-pods"] = new(c => c.Add(A, Job("migrate", failed: 3)), A, "Job", "shop", "migrate"),
        ["job-retrying-within-budget"] = new(c => c.Add(A, Job("migrate", failed: 1)), A, "Job", "shop", "migrate"),
        ["job-complete-after-retry"] = new(c => c.Add(A, Job("migrate", failed: 1, conditions: "[" + Objects.Condition("Complete", "True") + "]")), A, "Job", "shop", "migrate"),
        ["job-running"] = new(c => c.Add(A, Job("migrate")), A, "Job", "shop", "migrate"),
    };

    public static TheoryData<string, string, string?, string?> Table => new()
    {
        { "deployment.rollout", "deploy-deadline-exceeded", "ProgressDeadlineExceeded", "RolloutStuck" },
        { "deployment.rollout", "deploy-rolling-update", null, null },
        { "deployment.rollout", "deploy-short-within-deadline", null, null },
        { "deployment.rollout", "deploy-short-past-deadline", "ReplicasUnavailable", "RolloutStuck" },
        { "deployment.rollout", "deploy-healthy", null, null },
        { "workload.create-rejected", "rs-quota", "ExceededQuota", "QuotaExceeded" },
        { "workload.create-rejected", "rs-limitrange", "LimitRange", "QuotaExceeded" },
        { "workload.create-rejected", "rs-podsecurity", "PodSecurity", "AdmissionRejected" },
        { "workload.create-rejected", "rs-webhook", "WebhookDenied", "AdmissionRejected" },
        { "workload.create-rejected", "rs-generic", "FailedCreate", "ConfigError" },
        { "workload.create-rejected", "rs-healthy", null, null },
        { "workload.create-rejected", "rs-old-failedcreate-recovered", null, null },
        { "workload.create-rejected", "rs-failedcreate-on-deployment-namesake", null, null },
        { "statefulset.health", "sts-service-missing", "ServiceMissing", "NetworkService" },
        { "statefulset.health", "sts-storageclass-missing", "StorageClassMissing", "Storage" },
        { "statefulset.health", "sts-ordinal-pending", "OrdinalNotRunning", "RolloutStuck" },
        { "statefulset.health", "sts-healthy", null, null },
        { "daemonset.health", "ds-not-ready", "PodsNotReady", "RolloutStuck" },
        { "daemonset.health", "ds-rolling-within-budget", null, null },
        { "daemonset.health", "ds-pull-secret-missing", "PullSecretMissing", "ImagePull" },
        { "daemonset.health", "ds-pull-secret-present", null, null },
        { "job.failed", "job-backoff", "BackoffLimitExceeded", "JobFailed" },
        { "job.failed", "job-suspended", "Suspended", "JobFailed" },
        { "job.failed", "job-failing-pods", "PodsFailing", "JobFailed" },
        { "job.failed", "job-retrying-within-budget", null, null },
        { "job.failed", "job-complete-after-retry", null, null },
        { "job.failed", "job-running", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_WorkloadCase_ExpectedFinding(string detector, string caseName, string? reason, string? category) =>
        Cases[caseName].Expect(detector, reason, category);

    [Fact]
    public void Detect_ReplicaSetOverQuota_SubjectIsDeploymentCauseIsQuotaWithUsage()
    {
        var finding = Cases["rs-quota"].Expect("workload.create-rejected", "ExceededQuota", "QuotaExceeded")!;

        Assert.Equal(("Deployment", "web"), (finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal(("ResourceQuota", "shop", "compute"), (finding.Cause?.Kind, finding.Cause?.Namespace, finding.Cause?.Name));
        Assert.Contains(finding.Evidence, e => e.Contains("requests.cpu used 4 of 4 (nearly full)", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_WebhookDenied_CauseIsTheWebhookConfiguration()
    {
        var finding = Cases["rs-webhook"].Expect("workload.create-rejected", "WebhookDenied", "AdmissionRejected")!;

        Assert.Equal(("ValidatingWebhookConfiguration", "gatekeeper"), (finding.Cause?.Kind, finding.Cause?.Name));
    }

    [Fact]
    public void Detect_FailedJobPod_EvidenceHasItsLogLine()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        Cases["job-backoff"].Setup(clusters);
        clusters.Logs(A, "shop", "migrate-x", "app", previous: false, "2026-03-01T09:59:00Z ERROR relation \"orders\" does not exist");

        var finding = Assert.Single(clusters.Detect(new Detectors.JobFailureDetector(), A, "Job", "shop", "migrate"));

        Assert.Contains(finding.Evidence, e => e.Contains("relation \"orders\" does not exist", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("terminated Error exit 3", StringComparison.Ordinal));
    }

    private static JsonObject StatefulSet(string name, string serviceName, int readyReplicas, int replicas = 1, string? storageClass = null) => Objects.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-sts-{{{name}}}","creationTimestamp":"{{{Objects.Time(-86400)}}}"},
         "spec":{"replicas":{{{replicas}}},"serviceName":"{{{serviceName}}}",
                 "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{{{(storageClass is null ? "{}" : $"{{\"storageClassName\":\"{storageClass}\"}}")}}} }]},
         "status":{"replicas":{{{replicas}}},"readyReplicas":{{{readyReplicas}}}}}
        """.Replace("}}}}", "} } } }", StringComparison.Ordinal));

    private static JsonObject DaemonSet(string name, int desired, int ready, int updated = -1, string? pullSecret = null) => Objects.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-ds-{{{name}}}","generation":3},
         "spec":{"template":{"spec":{"imagePullSecrets":{{{(pullSecret is null ? "[]" : $"[{{\"name\":\"{pullSecret}\"}}]")}}},"containers":[{"name":"agent","image":"agent:1"}]} } },
         "status":{"observedGeneration":3,"desiredNumberScheduled":{{{desired}}},"currentNumberScheduled":{{{desired}}},"numberReady":{{{ready}}},"updatedNumberScheduled":{{{(updated < 0 ? desired : updated)}}}}}
        """);

    private static JsonObject Job(string name, int failed = 0, string conditions = "[]", bool suspend = false) => Objects.Parse($$$"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-job-{{{name}}}"},
         "spec":{"backoffLimit":3,"suspend":{{{(suspend ? "true" : "false")}}}},
         "status":{"failed":{{{failed}}},"active":{{{(failed == 0 ? 1 : 0)}}},"conditions":{{{conditions}}}}}
        """);
}
