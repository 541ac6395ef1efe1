using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

/// <summary>Causes found after their symptoms, symptoms that clear on their own, and where an incident's cause lives.</summary>
public sealed class IncidentCorrelatorCauseTests
{
    [Fact]
    public void Evaluate_SymptomOnly_PublishedOnceTheGroupWaitPasses()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var worker = state.AddDeployment("team-b", "analytics", "report-worker", 1);
        var correlator = new IncidentCorrelator(new CorrelationOptions { GroupWait = TimeSpan.FromSeconds(30) });

        var first = correlator.Evaluate(worker.Deployment, [Fleet.Finding(worker.Deployment, IncidentCategory.RolloutStuck, Severity.Warning)], state);
        var early = correlator.Advance(Fleet.T0.AddSeconds(29));
        var due = correlator.Advance(Fleet.T0.AddSeconds(30));

        Assert.Empty(first);
        Assert.Empty(early);
        var opened = Assert.Single(due);
        Assert.Equal(IncidentChangeKind.Opened, opened.Kind);
        Assert.Equal(nameof(IncidentCategory.RolloutStuck), opened.Incident.Category);
        Assert.Equal(Timestamp(Fleet.T0.AddSeconds(30)), opened.Incident.OpenedAt);
    }

    [Fact]
    public void Evaluate_SymptomClearsWithinGroupWait_NeverPublished()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var catalog = state.AddDeployment("team-a", "shop", "catalog", 4);
        var service = Fleet.Virtual("team-a", "v1", "Service", "shop", "catalog");
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        var notReady = Fleet.Finding(service, IncidentCategory.NetworkService, Severity.Warning, "Service shop/catalog has 4 ready and 1 not-ready endpoints.", cause: catalog.Deployment);

        var changes = new List<IncidentChange>(correlator.Evaluate(service, [notReady], state));
        changes.AddRange(correlator.Evaluate(service, [], state.At(Fleet.T0.AddSeconds(20))));
        changes.AddRange(correlator.Advance(Fleet.T0.AddHours(1)));

        Assert.Empty(changes);
        Assert.Empty(correlator.Incidents());
    }

    [Fact]
    public void Evaluate_CrashLoop_OpensAtOnceDespiteTheGroupWait()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1);
        var correlator = new IncidentCorrelator(new CorrelationOptions { GroupWait = TimeSpan.FromMinutes(5) });

        var opened = Assert.Single(correlator.Evaluate(checkout.Pods[0], [Fleet.Finding(checkout.Pods[0], IncidentCategory.CrashLoop)], state));

        Assert.Equal(IncidentChangeKind.Opened, opened.Kind);
    }

    [Fact]
    public void Evaluate_StatefulSetWaitingOnItsPendingClaim_OneStorageIncidentOnTheHostLayer()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var (statefulSet, pod, claim) = AddPostgres(state, mountClaim: true);
        var storageClass = Fleet.HostObject("storage.k8s.io/v1", "StorageClass", null, "fast-ssd");
        state.Add(storageClass, Fleet.Json(storageClass, []));
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        var stuck = Fleet.Finding(statefulSet, IncidentCategory.RolloutStuck, Severity.Warning, "StatefulSet db/postgres: pod postgres-0 is Pending, so later ordinals wait.");
        var waiting = Fleet.Finding(statefulSet, IncidentCategory.Unschedulable, message: "StatefulSet db/postgres: pod has unbound immediate PersistentVolumeClaims.") with { Related = [pod] };
        var provisioning = Fleet.Finding(claim, IncidentCategory.Storage, message: "PersistentVolumeClaim db/data-postgres-0 cannot be provisioned: storageclass.storage.k8s.io \"fast-ssd\" not found", cause: storageClass);

        // The symptom is seen first (same burst), the claim's finding next, then the pod.
        var changes = new List<IncidentChange>(correlator.Evaluate(statefulSet, [stuck], state));
        changes.AddRange(correlator.Evaluate(claim, [provisioning], state.At(Fleet.T0.AddSeconds(1))));
        changes.AddRange(correlator.Evaluate(pod, [waiting], state));
        // Past the group wait the symptom's candidate stays unpublished: a published incident holds its workload.
        changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(1)));
        // Re-evaluated (a resync), the StatefulSet's own finding moves to the claim's incident.
        changes.AddRange(correlator.Evaluate(statefulSet, [stuck], state.At(Fleet.T0.AddMinutes(2))));
        changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(10)));

        Assert.Single(changes.Select(c => c.Key).Distinct());
        Assert.All(changes, c => Assert.Equal(nameof(IncidentCategory.Storage), c.Incident.Category));
        var incident = Assert.Single(correlator.Incidents());
        Assert.Equal(RecordKeys.ForObject(storageClass), RecordKeys.ForObject(incident.Subject));
        Assert.Equal(Layer.Host, incident.Layer);
        Assert.Contains(incident.Affected, a => RecordKeys.ForObject(a) == RecordKeys.ForObject(claim));
        Assert.Contains(incident.Affected, a => RecordKeys.ForObject(a) == RecordKeys.ForObject(statefulSet));
        Assert.Contains(incident.Signals, s => s.Active && s.Category == nameof(IncidentCategory.RolloutStuck));
        Assert.Contains(incident.Signals, s => s.Active && s.Category == nameof(IncidentCategory.Unschedulable));
    }

    [Fact]
    public void Evaluate_ClaimNobodyUses_StorageIncidentLeavesTheStatefulSetAlone()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var (statefulSet, _, _) = AddPostgres(state, mountClaim: false, template: "wal");
        var other = Fleet.Virtual("team-g", "v1", "PersistentVolumeClaim", "db", "data-postgres-0");
        state.Add(other, Fleet.Json(other, []));
        var correlator = new IncidentCorrelator(new CorrelationOptions { GroupWait = TimeSpan.Zero });

        var storage = Assert.Single(correlator.Evaluate(other, [Fleet.Finding(other, IncidentCategory.Storage)], state));
        var stuck = Assert.Single(correlator.Evaluate(statefulSet, [Fleet.Finding(statefulSet, IncidentCategory.RolloutStuck, Severity.Warning)], state));

        Assert.NotEqual(storage.Key, stuck.Key);
        Assert.Equal(nameof(IncidentCategory.RolloutStuck), stuck.Incident.Category);
    }

    [Theory]
    [InlineData(true, Layer.Host)]
    [InlineData(false, Layer.Virtual)]
    public void Evaluate_LookupsFailWhileCoreDnsCannotBeScheduled_OneUnschedulableIncidentLayerFromItsCause(bool hostDecided, Layer layer)
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var coredns = state.AddDeployment("team-h", "kube-system", "coredns", 1, twins: true);
        var orders = state.AddDeployment("team-h", "shop", "orders", 1);
        var twin = coredns.Pods[0].Twin.Clone();
        twin.Twin = coredns.Pods[0].Clone();
        twin.Twin.Twin = null;
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        var unschedulable = Fleet.Finding(coredns.Deployment, IncidentCategory.Unschedulable, message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", cause: hostDecided ? twin : null);
        var dns = Fleet.Finding(orders.Deployment, IncidentCategory.DNS, message: "6 log lines show name resolution failing; the cluster DNS is not running", cause: coredns.Deployment);
        var errors = Fleet.Finding(orders.Deployment, IncidentCategory.MetricAnomaly, Severity.Warning, "6 error lines in 10 minutes while Ready");

        var changes = new List<IncidentChange>(correlator.Evaluate(coredns.Pods[0], [unschedulable], state));
        changes.AddRange(correlator.Evaluate(orders.Pods[0], [dns, errors], state.At(Fleet.T0.AddSeconds(30))));
        changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(2)));

        Assert.Single(changes.Select(c => c.Key).Distinct());
        var incident = Assert.Single(correlator.Incidents());
        Assert.Equal(nameof(IncidentCategory.Unschedulable), incident.Category);
        Assert.Equal(layer, incident.Layer);
        Assert.Equal(RecordKeys.ForObject(coredns.Deployment), RecordKeys.ForObject(incident.Subject));
        Assert.Equal(
            [nameof(IncidentCategory.DNS), nameof(IncidentCategory.MetricAnomaly), nameof(IncidentCategory.Unschedulable)],
            incident.Signals.Select(s => s.Category).Order(StringComparer.Ordinal));
    }

    private static (ObjectRef StatefulSet, ObjectRef Pod, ObjectRef Claim) AddPostgres(InMemoryClusterState state, bool mountClaim, string template = "data")
    {
        var statefulSet = Fleet.Virtual("team-g", "apps/v1", "StatefulSet", "db", "postgres");
        var json = Fleet.Json(statefulSet, []);
        json["spec"] = new JsonObject { ["volumeClaimTemplates"] = new JsonArray(new JsonObject { ["metadata"] = new JsonObject { ["name"] = template } }) };
        state.Add(statefulSet, json);
        var claim = Fleet.Virtual("team-g", "v1", "PersistentVolumeClaim", "db", $"{template}-postgres-0");
        state.Add(claim, Fleet.Json(claim, []));
        var pod = Fleet.Virtual("team-g", "v1", "Pod", "db", "postgres-0");
        var podJson = Fleet.Json(pod, [Fleet.Owner(statefulSet)]);
        if (mountClaim)
        {
            podJson["spec"] = new JsonObject
            {
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim.Name } }),
            };
        }

        state.Add(pod, podJson);
        return (statefulSet, pod, claim);
    }

    private static Google.Protobuf.WellKnownTypes.Timestamp Timestamp(DateTimeOffset at) => Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at);
}
