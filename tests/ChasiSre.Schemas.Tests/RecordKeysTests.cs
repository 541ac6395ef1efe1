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
}
