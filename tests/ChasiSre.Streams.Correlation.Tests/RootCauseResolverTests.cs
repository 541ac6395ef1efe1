using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class RootCauseResolverTests
{
    [Fact]
    public void Resolve_PodOfDeployment_RootIsDeployment()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 2);

        var root = RootCauseResolver.Resolve(Fleet.Finding(checkout.Pods[1], IncidentCategory.CrashLoop), state);

        Assert.Equal(RecordKeys.ForObject(checkout.Deployment), root.Key);
        Assert.Equal("Deployment", root.Root.Kind);
        Assert.Equal(checkout.Deployment.Uid, root.Root.Uid);
        Assert.Equal(root.Root, root.Workload);
    }

    [Fact]
    public void Resolve_HostTwinOfVirtualPod_RootIsVirtualDeployment()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1, twins: true);
        var hostTwin = checkout.Pods[0].Twin.Clone();
        hostTwin.Twin = null; // as a host detector might send it: the state knows the twin

        var root = RootCauseResolver.Resolve(Fleet.Finding(hostTwin, IncidentCategory.CrashLoop), state);

        Assert.Equal(Layer.Virtual, root.Root.Layer);
        Assert.Equal("team-a", root.Root.Cluster);
        Assert.Equal("checkout", root.Root.Name);
    }

    [Fact]
    public void Resolve_CauseSet_RootIsCauseAndWorkloadIsSubjects()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1);
        var node = Fleet.Node("worker-2");

        var root = RootCauseResolver.Resolve(Fleet.Finding(checkout.Pods[0], IncidentCategory.NodePressure, cause: node), state);

        Assert.Equal(RecordKeys.ForObject(node), root.Key);
        Assert.Equal("Node", root.Root.Kind);
        Assert.Equal("checkout", root.Workload.Name);
    }

    [Fact]
    public void Resolve_ClaimMountedByAStatefulSetPod_RootIsTheClaimWorkloadIsTheStatefulSet()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var statefulSet = Fleet.Virtual("team-g", "apps/v1", "StatefulSet", "db", "postgres");
        state.Add(statefulSet, Fleet.Json(statefulSet, []));
        var claim = Fleet.Virtual("team-g", "v1", "PersistentVolumeClaim", "db", "pgdata");
        state.Add(claim, Fleet.Json(claim, []));
        var pod = Fleet.Virtual("team-g", "v1", "Pod", "db", "postgres-0");
        var json = Fleet.Json(pod, [Fleet.Owner(statefulSet)]);
        json["spec"] = System.Text.Json.Nodes.JsonNode.Parse("""{"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"pgdata"}}]}""");
        state.Add(pod, json);

        var root = RootCauseResolver.Resolve(Fleet.Finding(claim, IncidentCategory.Storage), state);

        Assert.Equal(RecordKeys.ForObject(claim), root.Key);
        Assert.Equal(RecordKeys.ForObject(statefulSet), RecordKeys.ForObject(root.Workload));
    }

    [Theory]
    [InlineData("data-postgres-0", "StatefulSet")]
    [InlineData("data-postgres-12", "StatefulSet")]
    [InlineData("data-postgres-x", "PersistentVolumeClaim")]
    [InlineData("logs-postgres-0", "PersistentVolumeClaim")]
    public void ClaimWorkload_NoPodYet_StatefulSetWhoseTemplateAndOrdinalNameTheClaim(string claimName, string workloadKind)
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var statefulSet = Fleet.Virtual("team-g", "apps/v1", "StatefulSet", "db", "postgres");
        var json = Fleet.Json(statefulSet, []);
        json["spec"] = System.Text.Json.Nodes.JsonNode.Parse("""{"volumeClaimTemplates":[{"metadata":{"name":"data"}}]}""");
        state.Add(statefulSet, json);
        var claim = Fleet.Virtual("team-g", "v1", "PersistentVolumeClaim", "db", claimName);
        state.Add(claim, Fleet.Json(claim, []));

        var root = RootCauseResolver.Resolve(Fleet.Finding(claim, IncidentCategory.Storage), state);

        Assert.Equal(workloadKind, root.Workload.Kind);
        Assert.Equal(RecordKeys.ForObject(claim), root.Key);
    }

    [Fact]
    public void Resolve_ReplicaSetMissingFromState_DeploymentFromTemplateHash()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var replicaSet = Fleet.Virtual("team-a", "apps/v1", "ReplicaSet", "shop", $"checkout-{Fleet.TemplateHash}");
        var pod = Fleet.Virtual("team-a", "v1", "Pod", "shop", $"checkout-{Fleet.TemplateHash}-abcde");
        var json = Fleet.Json(pod, [Fleet.Owner(replicaSet)]);
        ((System.Text.Json.Nodes.JsonObject)json["metadata"]!)["labels"] = new System.Text.Json.Nodes.JsonObject { ["pod-template-hash"] = Fleet.TemplateHash };
        state.Add(pod, json);

        var root = RootCauseResolver.Resolve(Fleet.Finding(pod, IncidentCategory.CrashLoop), state);

        Assert.Equal("Deployment", root.Root.Kind);
        Assert.Equal("checkout", root.Root.Name);
        Assert.Equal("shop", root.Root.Namespace);
    }

    [Fact]
    public void Resolve_ReplicaSetMissingWithoutTemplateHash_StopsAtReplicaSet()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var replicaSet = Fleet.Virtual("team-a", "apps/v1", "ReplicaSet", "shop", "checkout-legacy");
        var pod = Fleet.Virtual("team-a", "v1", "Pod", "shop", "checkout-legacy-abcde");
        state.Add(pod, Fleet.Json(pod, [Fleet.Owner(replicaSet)]));

        var root = RootCauseResolver.Resolve(Fleet.Finding(pod, IncidentCategory.CrashLoop), state);

        Assert.Equal("ReplicaSet", root.Root.Kind);
        Assert.Equal("checkout-legacy", root.Root.Name);
    }

    [Fact]
    public void Resolve_PodOfJobOfCronJob_RootIsCronJob()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var cronJob = Fleet.Virtual("team-a", "batch/v1", "CronJob", "ops", "backup");
        state.Add(cronJob, Fleet.Json(cronJob, []));
        var job = Fleet.Virtual("team-a", "batch/v1", "Job", "ops", "backup-29500000");
        state.Add(job, Fleet.Json(job, [Fleet.Owner(cronJob)]));
        var pod = Fleet.Virtual("team-a", "v1", "Pod", "ops", "backup-29500000-x1");
        state.Add(pod, Fleet.Json(pod, [Fleet.Owner(job)]));

        var root = RootCauseResolver.Resolve(Fleet.Finding(pod, IncidentCategory.JobFailed), state);

        Assert.Equal("CronJob", root.Root.Kind);
        Assert.Equal("backup", root.Root.Name);
    }

    [Fact]
    public void Resolve_OwnerIsANamesakeWithAnotherUid_StopsAtTheOwnerReference()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1);
        var replaced = checkout.ReplicaSet.Clone();
        replaced.Uid = "uid-of-a-newer-namesake";
        state.Add(replaced, Fleet.Json(replaced, []));

        var root = RootCauseResolver.Resolve(Fleet.Finding(checkout.Pods[0], IncidentCategory.CrashLoop), state);

        // The pod's owner is gone; the namesake is not its owner, the template hash still names the Deployment.
        Assert.Equal("Deployment", root.Root.Kind);
        Assert.Equal(checkout.Deployment.Uid, root.Root.Uid);
    }

    [Fact]
    public void Resolve_VClusterFakeNodeAsCause_RootIsTheHostNode()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var hostNode = Fleet.Node("worker-2");
        state.Add(hostNode, Fleet.Json(hostNode, []));
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1);
        var fakeNode = Fleet.Virtual("team-a", "v1", "Node", null, "worker-2");

        var fromVirtual = RootCauseResolver.Resolve(Fleet.Finding(checkout.Pods[0], IncidentCategory.NodePressure, cause: fakeNode), state);
        var fromHost = RootCauseResolver.Resolve(Fleet.Finding(hostNode, IncidentCategory.NodePressure), state);

        Assert.Equal(RecordKeys.ForObject(hostNode), fromVirtual.Key);
        Assert.Equal(fromHost.Key, fromVirtual.Key);
        Assert.Equal(hostNode.Uid, fromVirtual.Root.Uid);
    }

    [Fact]
    public void Resolve_BarePod_RootIsThePod()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var pod = Fleet.Virtual("team-a", "v1", "Pod", "shop", "debug");
        state.Add(pod, Fleet.Json(pod, []));

        var root = RootCauseResolver.Resolve(Fleet.Finding(pod, IncidentCategory.CrashLoop), state);

        Assert.Equal(RecordKeys.ForObject(pod), root.Key);
    }

    [Fact]
    public void Resolve_VClusterControlPlanePodAsCause_RootIsItsStatefulSet()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var statefulSet = Fleet.HostObject("apps/v1", "StatefulSet", "vcluster-team-a", "team-a", "team-a");
        state.Add(statefulSet, Fleet.Json(statefulSet, []));
        var controlPlane = Fleet.HostObject("v1", "Pod", "vcluster-team-a", "team-a-0", "team-a");
        state.Add(controlPlane, Fleet.Json(controlPlane, [Fleet.Owner(statefulSet)]));
        var checkout = state.AddDeployment("team-a", "shop", "checkout", 1);

        var root = RootCauseResolver.Resolve(Fleet.Finding(checkout.Pods[0], IncidentCategory.VClusterControlPlane, cause: controlPlane), state);

        Assert.Equal(RecordKeys.ForObject(statefulSet), root.Key);
        Assert.Equal(Layer.Host, root.Root.Layer);
    }
}
