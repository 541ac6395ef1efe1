using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class IncidentCorrelatorGroupingTests
{
    private static readonly string[] Tenants = ["team-a", "team-b", "team-c"];

    [Fact]
    public void Evaluate_200CrashloopingReplicas_OneIncidentAboutTheDeployment()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 200, twins: true);
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        var changes = new List<IncidentChange>();

        for (var i = 0; i < checkout.Pods.Count; i++)
        {
            state.At(Fleet.T0.AddSeconds(i * 0.1));
            var pod = checkout.Pods[i];
            changes.AddRange(correlator.Evaluate(pod, [Fleet.Finding(pod, IncidentCategory.CrashLoop, message: "container app exited 1: DEPLOY_ENV is not set")], state));
        }

        changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(2)));

        Assert.Single(changes.Select(c => c.Key).Distinct());
        Assert.Single(changes, c => c.Kind == IncidentChangeKind.Opened);
        var incident = changes[^1].Incident;
        Assert.Equal(RecordKeys.ForObject(checkout.Deployment), RecordKeys.ForObject(incident.Subject));
        Assert.Equal(nameof(IncidentCategory.CrashLoop), incident.Category);
        Assert.Equal(Layer.Virtual, incident.Layer);
        Assert.Equal(["team-a"], incident.Tenants);
        Assert.Equal("team-a", incident.Tenant);
        Assert.Equal(200, incident.SignalCount);
        Assert.Equal(new CorrelationOptions().MaxSignals, incident.Signals.Count);
        Assert.Equal(new CorrelationOptions().MaxAffected, incident.Affected.Count);
        Assert.Equal("checkout in team-a/shop crashloops: container app exited 1: DEPLOY_ENV is not set", incident.Summary);
    }

    [Fact]
    public void Analyze_MessageStartsWithTheSubject_SummaryNamesItOnce()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 2);
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var incident = Assert.Single(correlator.Analyze([Fleet.Finding(checkout.Deployment, IncidentCategory.CrashLoop, message: "Deployment shop/checkout: 2 of 2 pods affected, DEPLOY_ENV is not set.")], state)).Incident;

        Assert.Equal("checkout in team-a/shop crashloops: 2 of 2 pods affected, DEPLOY_ENV is not set.", incident.Summary);
        Assert.Equal("CrashLoop: checkout in team-a/shop", incident.Title);
    }

    [Fact]
    public void Evaluate_NodePressureEvicting30PodsOf3Tenants_OneHostIncidentListingEveryTenant()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var node = Fleet.Node("worker-2");
        state.Add(node, Fleet.Json(node, []));
        var workloads = Tenants.Select(t => state.AddDeployment(t, "apps", $"api-{t}", 10, twins: true)).ToList();
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var changes = new List<IncidentChange>(correlator.Evaluate(node, [Fleet.Finding(node, IncidentCategory.NodePressure, Severity.Warning, "DiskPressure: ephemeral-storage below 5Gi", detector: "node.pressure")], state));
        foreach (var pod in workloads.SelectMany(w => w.Pods))
        {
            // The eviction is reported on the host twin, as the host's kubelet does.
            var twin = pod.Twin.Clone();
            twin.Twin = pod.Clone();
            twin.Twin.Twin = null;
            changes.AddRange(correlator.Evaluate(twin, [Fleet.Finding(twin, IncidentCategory.NodePressure, Severity.Warning, "Evicted: the node was low on ephemeral-storage", cause: node, detector: "pod.evicted")], state));
        }

        changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(2)));

        Assert.Single(changes.Select(c => c.Key).Distinct());
        var incident = changes[^1].Incident;
        Assert.Equal(RecordKeys.ForObject(node), RecordKeys.ForObject(incident.Subject));
        Assert.Equal("", incident.Subject.Namespace);
        Assert.Equal(Layer.Host, incident.Layer);
        Assert.Equal(nameof(IncidentCategory.NodePressure), incident.Category);
        Assert.Equal(["team-a", "team-b", "team-c"], incident.Tenants);
        Assert.Equal("", incident.Tenant);
        Assert.Equal(Severity.Error, incident.Severity); // warning, raised one level for several tenants
        Assert.Equal(31, incident.SignalCount);
        var affected = incident.Affected.Select(RecordKeys.ForObject).ToHashSet();
        foreach (var workload in workloads)
        {
            Assert.Contains(RecordKeys.ForObject(workload.Deployment), affected);
        }

        Assert.Contains(incident.Affected, a => a.Layer == Layer.Virtual && a.Kind == "Pod");
        Assert.Contains(incident.Affected, a => a.Layer == Layer.Host && a.Kind == "Pod");
        Assert.StartsWith("Node worker-2 (3 tenants) is under resource pressure: DiskPressure", incident.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WorkloadFindingsWithRelatedPods_OneHostIncidentWithEveryPodAndTwinAffected()
    {
        // The shape the detectors emit: one finding per workload, its pods as related objects.
        var state = new InMemoryClusterState(Fleet.T0);
        var node = Fleet.Node("worker-2");
        state.Add(node, Fleet.Json(node, []));
        var workloads = Tenants.Select(t => state.AddDeployment(t, "apps", $"api-{t}", 10, twins: true)).ToList();
        var correlator = new IncidentCorrelator(new CorrelationOptions { MaxAffected = 100 });
        var findings = new List<Finding> { Fleet.Finding(node, IncidentCategory.NodePressure, Severity.Warning, "Node worker-2: DiskPressure", detector: "node.conditions") };
        findings.AddRange(workloads.Select(w => Fleet.Finding(w.Deployment, IncidentCategory.NodePressure, Severity.Warning, $"Deployment apps/{w.Deployment.Name}: 10 of 10 pods affected, evicted", cause: node, detector: "pod.eviction") with { Related = w.Pods }));

        var incident = Assert.Single(correlator.Analyze(findings, state)).Incident;

        Assert.Equal("Node", incident.Subject.Kind);
        Assert.Equal(Layer.Host, incident.Layer);
        Assert.Equal(Tenants, incident.Tenants);
        Assert.Equal(4, incident.SignalCount);
        Assert.Equal(30, incident.Affected.Count(a => a is { Kind: "Pod", Layer: Layer.Virtual }));
        Assert.Equal(30, incident.Affected.Count(a => a is { Kind: "Pod", Layer: Layer.Host }));
        Assert.Equal(3, incident.Affected.Count(a => a.Kind == "Deployment"));
        Assert.Equal("Node worker-2 (3 tenants) is under resource pressure: DiskPressure", incident.Summary);
    }

    [Fact]
    public void Evaluate_RelatedPodsGrow_RefreshPublishesThem()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 5);
        var correlator = new IncidentCorrelator(new CorrelationOptions { RefreshInterval = TimeSpan.FromMinutes(1) });
        Finding Crashing(int pods) => Fleet.Finding(checkout.Deployment, IncidentCategory.CrashLoop, detector: "pod.crashloop") with { Related = checkout.Pods.Take(pods).ToList() };
        var opened = Assert.Single(correlator.Evaluate(checkout.Pods[0], [Crashing(1)], state));

        var grown = correlator.Evaluate(checkout.Pods[4], [Crashing(5)], state.At(Fleet.T0.AddSeconds(20)));
        var refresh = Assert.Single(correlator.Advance(Fleet.T0.AddMinutes(1)));

        Assert.Empty(grown);
        Assert.Equal(1, opened.Incident.Affected.Count(a => a.Kind == "Pod"));
        Assert.Equal(5, refresh.Incident.Affected.Count(a => a.Kind == "Pod"));
        Assert.Equal(1, refresh.Incident.SignalCount);
    }

    [Fact]
    public void Evaluate_HostQuotaRejectsTwinAndRolloutStalls_OneHostIncidentAboutTheVirtualDeployment()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var worker = state.AddDeployment("team-b", "analytics", "report-worker", 1);
        var quota = Fleet.HostObject("v1", "ResourceQuota", "vcluster-team-b", "vc-team-b", "team-b");
        state.Add(quota, Fleet.Json(quota, []));
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var first = correlator.Evaluate(worker.Pods[0], [Fleet.Finding(worker.Pods[0], IncidentCategory.QuotaExceeded, message: "host quota vc-team-b: exceeded quota: limits.memory", cause: quota)], state);
        var second = correlator.Evaluate(worker.Deployment, [Fleet.Finding(worker.Deployment, IncidentCategory.RolloutStuck, Severity.Warning, "0 of 1 replicas available")], state.At(Fleet.T0.AddMinutes(10)));

        var opened = Assert.Single(first);
        Assert.Equal(IncidentChangeKind.Opened, opened.Kind);
        Assert.Equal(RecordKeys.ForObject(worker.Deployment), RecordKeys.ForObject(opened.Incident.Subject));
        Assert.Equal(Layer.Host, opened.Incident.Layer);
        Assert.Equal(nameof(IncidentCategory.QuotaExceeded), opened.Incident.Category);
        Assert.Contains(opened.Incident.Affected, a => a.Kind == "ResourceQuota" && a.Name == "vc-team-b");
        var updated = Assert.Single(second);
        Assert.Equal(opened.Key, updated.Key);
        Assert.Equal(IncidentChangeKind.Updated, updated.Kind);
        Assert.Equal(nameof(IncidentCategory.QuotaExceeded), updated.Incident.Category);
        Assert.Contains(updated.Incident.Signals, s => s.Category == nameof(IncidentCategory.RolloutStuck));
        Assert.Single(correlator.Incidents());
    }

    [Fact]
    public void Evaluate_SymptomSeenBeforeItsCause_MovesToTheCauseAndItsOwnIncidentResolves()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var worker = state.AddDeployment("team-b", "analytics", "report-worker", 1);
        var quota = Fleet.HostObject("v1", "ResourceQuota", "vcluster-team-b", "vc-team-b", "team-b");
        // No group wait: the symptom's incident is published before its cause is seen.
        var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(5), GroupWait = TimeSpan.Zero });
        var stuck = Fleet.Finding(worker.Deployment, IncidentCategory.RolloutStuck, Severity.Warning);

        var symptom = Assert.Single(correlator.Evaluate(worker.Deployment, [stuck], state));
        var cause = Assert.Single(correlator.Evaluate(worker.Pods[0], [Fleet.Finding(worker.Pods[0], IncidentCategory.QuotaExceeded, cause: quota)], state.At(Fleet.T0.AddSeconds(10))));
        correlator.Evaluate(worker.Deployment, [stuck], state.At(Fleet.T0.AddSeconds(20)));
        var later = correlator.Advance(Fleet.T0.AddMinutes(6));

        Assert.Equal(nameof(IncidentCategory.RolloutStuck), symptom.Incident.Category);
        Assert.NotEqual(symptom.Key, cause.Key);
        Assert.Contains(later, c => c.Key == symptom.Key && c.Kind == IncidentChangeKind.Resolved);
        var open = Assert.Single(correlator.Incidents(), i => i.State == IncidentState.Open);
        Assert.Equal(cause.Key, open.Id);
        Assert.Contains(open.Signals, s => s.Category == nameof(IncidentCategory.RolloutStuck) && s.Active);
    }

    [Fact]
    public void Evaluate_QuotaBlocksTwoWorkloads_SubjectBecomesTheQuota()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var one = state.AddDeployment("team-b", "analytics", "report-worker", 1);
        var two = state.AddDeployment("team-b", "analytics", "exporter", 1);
        var quota = Fleet.HostObject("v1", "ResourceQuota", "vcluster-team-b", "vc-team-b", "team-b");
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        correlator.Evaluate(one.Pods[0], [Fleet.Finding(one.Pods[0], IncidentCategory.QuotaExceeded, cause: quota)], state);
        var changes = correlator.Evaluate(two.Pods[0], [Fleet.Finding(two.Pods[0], IncidentCategory.QuotaExceeded, cause: quota)], state);

        var incident = Assert.Single(changes).Incident;
        Assert.Equal(RecordKeys.ForObject(quota), RecordKeys.ForObject(incident.Subject));
        Assert.Contains(incident.Affected, a => a.Name == "report-worker");
        Assert.Contains(incident.Affected, a => a.Name == "exporter");
    }

    [Fact]
    public void Evaluate_CrashLoopThenConfigErrorOnSameWorkload_OneIncidentTakesTheMoreCausalCategory()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 2);
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var opened = Assert.Single(correlator.Evaluate(checkout.Pods[0], [Fleet.Finding(checkout.Pods[0], IncidentCategory.CrashLoop)], state));
        var updated = Assert.Single(correlator.Evaluate(checkout.Pods[1], [Fleet.Finding(checkout.Pods[1], IncidentCategory.ConfigError, message: "secret db-creds has no key password")], state.At(Fleet.T0.AddSeconds(5))));

        Assert.Equal(opened.Key, updated.Key);
        Assert.Equal(nameof(IncidentCategory.CrashLoop), opened.Incident.Category);
        Assert.Equal(nameof(IncidentCategory.ConfigError), updated.Incident.Category);
        Assert.Equal(2, updated.Incident.Signals.Count);
        Assert.Equal(opened.Incident.Fingerprint, updated.Incident.Fingerprint);
        Assert.EndsWith("has a configuration error: secret db-creds has no key password", updated.Incident.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CrashLoopOnWorkloadOnAPressuredNode_StaysItsOwnIncident()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var node = Fleet.Node("worker-2");
        var api = state.AddDeployment("team-a", "apps", "api", 2);
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        correlator.Evaluate(api.Pods[0], [Fleet.Finding(api.Pods[0], IncidentCategory.NodePressure, cause: node)], state);
        correlator.Evaluate(api.Pods[1], [Fleet.Finding(api.Pods[1], IncidentCategory.CrashLoop)], state);

        Assert.Equal(2, correlator.Incidents().Count);
    }

    [Fact]
    public void Evaluate_TwoWorkloadsOfOneTenant_TwoIncidents()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 3);
        var cart = state.AddDeployment("team-a", "shop", "cart", 3);
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var changes = correlator.Analyze(
            [.. checkout.Pods.Select(p => Fleet.Finding(p, IncidentCategory.CrashLoop)), .. cart.Pods.Select(p => Fleet.Finding(p, IncidentCategory.ImagePull))],
            state);

        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(IncidentChangeKind.Opened, c.Kind));
        Assert.Equal(["cart", "checkout"], changes.Select(c => c.Incident.Subject.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1, Severity.Warning, Severity.Warning)]
    [InlineData(2, Severity.Warning, Severity.Error)]
    [InlineData(3, Severity.Error, Severity.Critical)]
    [InlineData(3, Severity.Critical, Severity.Critical)]
    public void Analyze_TenantsAffected_SeverityRaisedForSeveral(int tenants, Severity signal, Severity expected)
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var node = Fleet.Node("worker-9");
        var findings = Tenants.Take(tenants)
            .Select(t => state.AddDeployment(t, "apps", "api", 1).Pods[0])
            .Select(p => Fleet.Finding(p, IncidentCategory.NodeFailure, signal, cause: node))
            .ToList();
        var correlator = new IncidentCorrelator(new CorrelationOptions { MultiTenantEscalation = 2 });

        var incident = Assert.Single(correlator.Analyze(findings, state)).Incident;

        Assert.Equal(tenants, incident.Tenants.Count);
        Assert.Equal(expected, incident.Severity);
    }

    [Theory]
    [InlineData("own crash", Layer.Virtual, "Deployment")]
    [InlineData("node", Layer.Host, "Node")]
    [InlineData("storage class", Layer.Host, "StorageClass")]
    [InlineData("vcluster", Layer.Host, "StatefulSet")]
    [InlineData("adapter", Layer.Business, "BusinessAdapter")]
    public void Analyze_RootKind_LayerIsWhereTheCauseLives(string cause, Layer expectedLayer, string expectedSubjectKind)
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var pod = state.AddDeployment("team-a", "shop", "checkout", 1, twins: true).Pods[0];
        var finding = cause switch
        {
            "own crash" => Fleet.Finding(pod, IncidentCategory.CrashLoop),
            "node" => Fleet.Finding(pod, IncidentCategory.NodeFailure, cause: Fleet.Node("worker-1")),
            "storage class" => Fleet.Finding(pod, IncidentCategory.Storage, cause: Fleet.HostObject("storage.k8s.io/v1", "StorageClass", null, "fast-ssd")),
            "vcluster" => Fleet.Finding(pod, IncidentCategory.VClusterControlPlane, cause: Fleet.HostObject("apps/v1", "StatefulSet", "vcluster-team-a", "team-a", "team-a")),
            _ => Fleet.Finding(Fleet.Adapter("team-a", "orders"), IncidentCategory.BusinessDegradation),
        };
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var incident = Assert.Single(correlator.Analyze([finding], state)).Incident;

        Assert.Equal(expectedLayer, incident.Layer);
        Assert.Equal(expectedSubjectKind, incident.Subject.Kind);
        Assert.Equal(finding.Category.ToString(), incident.Category);
        Assert.Equal(["team-a"], incident.Tenants);
    }
}
