using ChasiSre.Schemas.V1;

namespace ChasiSre.Schemas.Tests;

public sealed class RecordKeysTests
{
    [Fact]
    public void Object_TwoTenantsWithTheSameVClusterName_GetDifferentKeys()
    {
        ObjectRef Pod(string hostNamespace) => new() { Cluster = "dev", HostCluster = "hz1", HostNamespace = hostNamespace, ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "checkout" };

        Assert.Equal("hz1/ns-alice/dev/core/Pod/shop/checkout", RecordKeys.ForObject(Pod("ns-alice")));
        Assert.NotEqual(RecordKeys.ForObject(Pod("ns-alice")), RecordKeys.ForObject(Pod("ns-bob")));
    }

    [Fact]
    public void Object_SameKindInTwoGroups_GetDifferentKeys()
    {
        var a = new ObjectRef { Cluster = "host", ApiVersion = "cert-manager.io/v1", Kind = "Certificate", Namespace = "ns", Name = "web" };
        var b = new ObjectRef { Cluster = "host", ApiVersion = "networking.internal.knative.dev/v1alpha1", Kind = "Certificate", Namespace = "ns", Name = "web" };
        Assert.Equal("host/cert-manager.io/Certificate/ns/web", RecordKeys.ForObject(a));
        Assert.NotEqual(RecordKeys.ForObject(a), RecordKeys.ForObject(b));
    }

    [Fact]
    public void Series_IdenticalSeriesOfTwoVClusters_DoNotMerge()
    {
        MetricSample Sample(string vcluster) => new() { Series = "cpu{pod=\"a\"}", Subject = new ObjectRef { Cluster = vcluster, HostCluster = "hz1", HostNamespace = $"vc-{vcluster}" } };
        Assert.Equal("hz1/vc-a/a/cpu{pod=\"a\"}", RecordKeys.ForSeries(Sample("a")));
        Assert.NotEqual(RecordKeys.ForSeries(Sample("a")), RecordKeys.ForSeries(Sample("b")));
    }

    [Fact]
    public void FleetPartition_HostAndVClusterObjectsOfOneHost_ShareAPartition()
    {
        var node = new ObjectRef { Cluster = "prod-eu", ApiVersion = "v1", Kind = "Node", Name = "worker-1" };
        var virtualPod = new ObjectRef { Cluster = "team-a", HostCluster = "prod-eu", HostNamespace = "vcluster-team-a", ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "web-1" };

        foreach (var partitions in (int[])[1, 3, 12, 48])
        {
            Assert.Equal(
                RecordKeys.FleetPartition(System.Text.Encoding.UTF8.GetBytes(RecordKeys.ForObject(node)), partitions),
                RecordKeys.FleetPartition(System.Text.Encoding.UTF8.GetBytes(RecordKeys.ForObject(virtualPod)), partitions));
        }
    }

    [Fact]
    public void FleetPartition_IsAFixedFunctionOfTheHostCluster()
    {
        // Producers and consumers of different versions must agree: these values may never change.
        // FNV-1a 32 of "prod-eu" = 0x69a4c2fd, of "prod-us" = 0x637daa1b, of "host" = 0xaffea56f (computed independently).
        Assert.Equal((int)(0x69a4c2fdu % 12), RecordKeys.FleetPartition("prod-eu/core/Pod/ns/a"u8, 12));
        Assert.Equal((int)(0x637daa1bu % 12), RecordKeys.FleetPartition("prod-us"u8, 12));
        Assert.Equal((int)(0xaffea56fu % 7), RecordKeys.FleetPartition("host/vcluster-a/a/apps/Deployment/shop/web"u8, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordKeys.FleetPartition("host"u8, 0));
    }
}
