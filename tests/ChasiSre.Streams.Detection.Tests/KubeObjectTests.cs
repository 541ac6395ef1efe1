using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Detection.Tests;

public sealed class KubeObjectTests
{
    private const string Json = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop"},"status":{"phase":"Running","containerStatuses":[{"name":"app","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2026-03-01T10:00:00Z"}}}]}}""";

    private static ObjectSnapshot Snapshot(string resourceVersion = "7", string json = Json, string name = "web-1") => new()
    {
        Ref = new ObjectRef { Cluster = "team-a", ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = name, Uid = "u-1" },
        ResourceVersion = resourceVersion,
        ObservedAt = Timestamp.FromDateTimeOffset(TestClusters.T0),
        ObjectJson = ByteString.CopyFromUtf8(json),
    };

    [Fact]
    public void IsSameVersion_IdenticalSnapshotAgain_True()
    {
        var held = KubeObject.FromSnapshot(Snapshot());

        Assert.True(held.IsSameVersion(Snapshot()));
    }

    [Theory]
    [InlineData("8", Json, "web-1")]
    [InlineData("7", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop"},"status":{"phase":"Pending"}}""", "web-1")]
    [InlineData("7", Json, "web-2")]
    public void IsSameVersion_AnythingDiffers_False(string resourceVersion, string json, string name)
    {
        var held = KubeObject.FromSnapshot(Snapshot());

        Assert.False(held.IsSameVersion(Snapshot(resourceVersion, json, name)));
    }

    [Fact]
    public void IsSameVersion_NoResourceVersion_NeverTheSame()
    {
        var held = KubeObject.FromSnapshot(Snapshot(resourceVersion: ""));

        Assert.False(held.IsSameVersion(Snapshot(resourceVersion: "")));
    }

    [Fact]
    public void ContainerStatuses_AskedTwice_ReadOnceAndEqualToTheJson()
    {
        var pod = KubeObject.FromSnapshot(Snapshot());

        var first = ContainerStatus.Of(pod);

        Assert.Same(first, ContainerStatus.Of(pod));
        var app = Assert.Single(first);
        Assert.Equal(("app", true, 2L, true, (DateTimeOffset?)TestClusters.T0), (app.Name, app.Ready, app.RestartCount, app.Running, app.RunningSince));
    }

    [Fact]
    public void Equals_SameValuesWhateverWasCached_Equal()
    {
        var pod = KubeObject.FromSnapshot(Snapshot());
        var copy = pod with { };

        _ = ContainerStatus.Of(pod);

        Assert.Equal(pod, copy);
        Assert.Equal(pod.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(pod, copy with { ResourceVersion = "8" });
    }
}
