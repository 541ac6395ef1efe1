using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Ingest.Tests;

public sealed class ObjectNormalizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly KubeResource Secrets = KubeResources.Secrets;
    private static readonly KubeResource ConfigMaps = KubeResources.ConfigMaps;

    private static ObjectNormalizer Host(bool includeConfigMapData = false)
    {
        var tenants = new TenantResolver(new System.Text.RegularExpressions.Regex("^ns-(?<tenant>.+)$"));
        tenants.SetVCluster("vcluster-team-a", "team-a", "team-a");
        return new ObjectNormalizer(ClusterIdentity.Host("prod"), tenants, includeConfigMapData);
    }

    [Fact]
    public void Snapshot_Secret_KeepsKeyNamesAndNoValue()
    {
        var secret = Parse("""
            {"metadata":{"name":"db","namespace":"ns-alice","resourceVersion":"7",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}},
             "type":"Opaque","data":{"password":"aHVudGVyMg==","user":"YWRtaW4="},"stringData":{"token":"plain-secret-token"}}
            """);

        var snapshot = Host().Snapshot(Secrets, secret, fromList: true, Now);

        var json = Encoding.UTF8.GetString(snapshot.ObjectJson.Span);
        var wire = Convert.ToBase64String(new ObjectRecord { Snapshot = snapshot }.ToByteArray());
        foreach (var value in new[] { "aHVudGVyMg==", "YWRtaW4=", "plain-secret-token", "hunter2" })
        {
            Assert.DoesNotContain(value, json, StringComparison.Ordinal);
            Assert.DoesNotContain(value, snapshot.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("aHVudGVyMg", wire, StringComparison.Ordinal);
        var keys = JsonNode.Parse(json)!["dataKeys"]!.AsArray().Select(k => k!.GetValue<string>());
        Assert.Equal(["password", "token", "user"], keys);
        Assert.Equal("alice", snapshot.Ref.Tenant);
        Assert.False(snapshot.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
    }

    [Fact]
    public void Snapshot_ConfigMapWithoutOptIn_DropsValues()
    {
        var configMap = Parse("""{"metadata":{"name":"app","namespace":"shop"},"data":{"DEPLOY_ENV":"prod"},"binaryData":{"blob":"AAE="}}""");

        var json = Encoding.UTF8.GetString(Host().Snapshot(ConfigMaps, configMap, false, Now).ObjectJson.Span);

        Assert.DoesNotContain("prod", json, StringComparison.Ordinal);
        Assert.Contains("DEPLOY_ENV", json, StringComparison.Ordinal);
        Assert.Contains("blob", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_ConfigMapWithOptIn_KeepsDataButNotBinaryData()
    {
        var configMap = Parse("""{"metadata":{"name":"app","namespace":"shop"},"data":{"DEPLOY_ENV":"prod"},"binaryData":{"blob":"AAE="}}""");

        var json = JsonNode.Parse(Encoding.UTF8.GetString(Host(includeConfigMapData: true).Snapshot(ConfigMaps, configMap, false, Now).ObjectJson.Span))!;

        Assert.Equal("prod", json["data"]!["DEPLOY_ENV"]!.GetValue<string>());
        Assert.Null(json["binaryData"]);
    }

    [Fact]
    public void Snapshot_Pod_DropsManagedFieldsAndFillsIdentity()
    {
        var pod = Parse("""
            {"metadata":{"name":"web-1","namespace":"ns-bob","uid":"u1","resourceVersion":"42","generation":3,
              "creationTimestamp":"2026-02-01T00:00:00Z","labels":{"app":"web"},
              "managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}],
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d","uid":"rs1","controller":true}]},
             "spec":{"nodeName":"worker-1"},"status":{"phase":"Running"}}
            """);

        var snapshot = Host().Snapshot(KubeResources.Pods, pod, false, Now);

        Assert.Equal("prod", snapshot.Ref.Cluster);
        Assert.Equal("prod", snapshot.Ref.HostCluster);
        Assert.Equal(Layer.Host, snapshot.Ref.Layer);
        Assert.Equal("bob", snapshot.Ref.Tenant);
        Assert.Equal("42", snapshot.ResourceVersion);
        Assert.Equal(3, snapshot.Generation);
        Assert.Equal("ReplicaSet", Assert.Single(snapshot.Owners).Kind);
        Assert.True(snapshot.Owners[0].Controller);
        var json = Encoding.UTF8.GetString(snapshot.ObjectJson.Span);
        Assert.DoesNotContain("managedFields", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Pod\"", json, StringComparison.Ordinal);
        Assert.Null(snapshot.Ref.Twin);
    }

    [Fact]
    public void Reference_HostTwin_LinksToVirtualObject()
    {
        var twin = Parse("""
            {"metadata":{"name":"checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a","namespace":"vcluster-team-a","uid":"host-uid",
              "labels":{"vcluster.loft.sh/managed-by":"team-a","vcluster.loft.sh/namespace":"shop"},
              "annotations":{"vcluster.loft.sh/object-name":"checkout-6d5f7c9b8-x2x9p","vcluster.loft.sh/object-namespace":"shop",
                             "vcluster.loft.sh/object-uid":"virtual-uid","vcluster.loft.sh/object-kind":"/v1, Kind=Pod"}}}
            """);

        var reference = Host().Reference(KubeResources.Pods, twin);

        Assert.Equal("team-a", reference.Tenant);
        Assert.NotNull(reference.Twin);
        Assert.Equal("team-a", reference.Twin.Cluster);
        Assert.Equal(Layer.Virtual, reference.Twin.Layer);
        Assert.Equal("shop", reference.Twin.Namespace);
        Assert.Equal("checkout-6d5f7c9b8-x2x9p", reference.Twin.Name);
        Assert.Equal("virtual-uid", reference.Twin.Uid);
        Assert.Equal("vcluster-team-a", reference.Twin.HostNamespace);
        Assert.Equal("prod", reference.Twin.HostCluster);
    }

    [Fact]
    public void Reference_VirtualPod_LinksToHostTwinByName()
    {
        var normalizer = new ObjectNormalizer(ClusterIdentity.VCluster("team-a", "team-a", "prod", "vcluster-team-a"), new TenantResolver(null), false);
        var pod = Parse("""{"metadata":{"name":"checkout-6d5f7c9b8-x2x9p","namespace":"shop","uid":"virtual-uid"}}""");

        var reference = normalizer.Reference(KubeResources.Pods, pod);

        Assert.Equal(Layer.Virtual, reference.Layer);
        Assert.Equal("team-a", reference.Tenant);
        Assert.Equal("vcluster-team-a", reference.HostNamespace);
        Assert.Equal("checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a", reference.Twin.Name);
        Assert.Equal("vcluster-team-a", reference.Twin.Namespace);
        Assert.Equal(Layer.Host, reference.Twin.Layer);
    }

    [Fact]
    public void Reference_VirtualDeployment_HasNoTwin()
    {
        var normalizer = new ObjectNormalizer(ClusterIdentity.VCluster("team-a", "team-a", "prod", "vcluster-team-a"), new TenantResolver(null), false);
        var deployment = Parse("""{"metadata":{"name":"checkout","namespace":"shop"}}""");

        Assert.Null(normalizer.Reference(KubeResources.Deployments, deployment).Twin);
    }

    [Fact]
    public void Event_CoreEvent_NormalizesCountsTimesAndInvolvedObject()
    {
        var normalizer = new ObjectNormalizer(ClusterIdentity.VCluster("team-a", "team-a", "prod", "vcluster-team-a"), new TenantResolver(null), false);
        var e = Parse("""
            {"metadata":{"name":"checkout.1","namespace":"shop","uid":"e1"},
             "involvedObject":{"apiVersion":"v1","kind":"Pod","namespace":"shop","name":"checkout-x","uid":"p1"},
             "reason":"BackOff","type":"Warning","message":"Back-off restarting failed container app","count":12,
             "firstTimestamp":"2026-03-01T09:50:00Z","lastTimestamp":"2026-03-01T10:00:00Z","source":{"component":"kubelet","host":"worker-1"}}
            """);

        var normalized = normalizer.Event(e, Now);

        Assert.Equal("BackOff", normalized.Reason);
        Assert.Equal(12, normalized.Count);
        Assert.Equal("Pod", normalized.Involved.Kind);
        Assert.Equal("checkout-x", normalized.Involved.Name);
        Assert.Equal("team-a", normalized.Involved.Cluster);
        Assert.Equal("kubelet", normalized.ReportingComponent);
        Assert.Equal("worker-1", normalized.ReportingInstance);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 50, 0, TimeSpan.Zero), normalized.FirstSeen.ToDateTimeOffset());
        Assert.Equal(Now, normalized.LastSeen.ToDateTimeOffset());
    }

    [Fact]
    public void Event_SeriesEvent_UsesSeriesCountAndLastObservedTime()
    {
        var e = Parse("""
            {"metadata":{"name":"n.1","namespace":"default"},"involvedObject":{"kind":"Node","name":"worker-1"},
             "reason":"NodeHasDiskPressure","type":"Warning","eventTime":"2026-03-01T09:00:00.000000Z",
             "series":{"count":5,"lastObservedTime":"2026-03-01T09:30:00.000000Z"},"reportingComponent":"kubelet"}
            """);

        var normalized = Host().Event(e, Now);

        Assert.Equal(5, normalized.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero), normalized.LastSeen.ToDateTimeOffset());
        Assert.Equal("", normalized.Involved.Namespace);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
