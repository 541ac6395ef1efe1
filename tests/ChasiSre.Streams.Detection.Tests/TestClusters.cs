using System.Text.Json;
using System.Text.Json.Nodes;
using ChasiSre.Ingest;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>
/// Builds an <see cref="InMemoryClusterState"/> the way the pipeline fills it: every object goes through ingest's
/// <see cref="ObjectNormalizer"/> (references with cluster, tenant, layer and twin; Secret values dropped), events become
/// <see cref="KubeEvent"/>s, log lines go through <see cref="LogLineParser"/>. Cluster <c>host</c> is the host; any other
/// name is a vCluster running in host namespace <c>vcluster-NAME</c> for tenant NAME.
/// </summary>
internal sealed class TestClusters
{
    public const string Host = "host";

    private static readonly Dictionary<string, KubeResource> Extra = new(StringComparer.Ordinal)
    {
        ["IngressClass"] = new("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),
        ["Role"] = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        ["ClusterRole"] = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        ["ServiceAccount"] = new("", "v1", "serviceaccounts", "ServiceAccount", true),
        ["GatewayClass"] = new("gateway.networking.k8s.io", "v1", "gatewayclasses", "GatewayClass", false),
        ["Gateway"] = new("gateway.networking.k8s.io", "v1", "gateways", "Gateway", true),
        ["HTTPRoute"] = new("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true),
    };

    private readonly TenantResolver tenants = new(null);
    private readonly Dictionary<string, ObjectNormalizer> normalizers = new(StringComparer.Ordinal);

    public TestClusters(DateTimeOffset now, params string[] vclusters)
    {
        State = new InMemoryClusterState(now);
        normalizers[Host] = new ObjectNormalizer(ClusterIdentity.Host(Host), tenants, includeConfigMapData: false);
        foreach (var vcluster in vclusters)
        {
            AddVCluster(vcluster, "vcluster-" + vcluster);
        }
    }

    public static DateTimeOffset T0 { get; } = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public InMemoryClusterState State { get; }

    public void AddVCluster(string name, string hostNamespace)
    {
        tenants.SetVCluster(hostNamespace, name, name);
        normalizers[name] = new ObjectNormalizer(ClusterIdentity.VCluster(name, name, Host, hostNamespace), tenants, includeConfigMapData: false);
    }

    public static KubeResource Resource(string kind) =>
        KubeResources.Default.FirstOrDefault(r => r.Kind == kind) ?? Extra.GetValueOrDefault(kind)
        ?? throw new ArgumentException($"No resource for kind {kind}.", nameof(kind));

    /// <summary>Adds (or replaces) an object written as JSON; Events go to the event index.</summary>
    public KubeObject? Add(string cluster, JsonObject obj) => Add(cluster, obj.ToJsonString());

    public KubeObject? Add(string cluster, string json)
    {
        var normalizer = normalizers[cluster];
        var obj = Element(json);
        var kind = obj.GetProperty("kind").GetString()!;
        if (kind == "Event")
        {
            State.AddEvent(normalizer.Event(obj, State.Now));
            return null;
        }

        var snapshot = normalizer.Snapshot(Resource(kind), obj, fromList: false, State.Now);
        var kubeObject = KubeObject.FromSnapshot(snapshot);
        State.Apply(kubeObject);
        return kubeObject;
    }

    public void Remove(string cluster, string kind, string? ns, string name) =>
        State.Remove(normalizers[cluster].Reference(Resource(kind), Metadata(ns, name)));

    public ObjectRef Ref(string cluster, string kind, string? ns, string name) =>
        State.Find(cluster, kind, ns, name)?.Ref
        ?? normalizers[cluster].Reference(Resource(kind), Metadata(ns, name));

    public void Logs(string cluster, string ns, string pod, string container, bool previous, params string[] lines)
    {
        var source = Ref(cluster, "Pod", ns, pod);
        State.SetLogs(source, container, previous, LogLineParser.Parse(source, container, previous, string.Join('\n', lines), 4096, State.Now));
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JsonElement Metadata(string? ns, string name) =>
        Element(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } }.ToJsonString());

    public IReadOnlyList<Finding> Detect(IDetector detector, string cluster, string kind, string? ns, string name)
    {
        var obj = State.Find(cluster, kind, ns, name) ?? throw new InvalidOperationException($"{cluster}/{kind}/{ns}/{name} is not in the state.");
        return [.. detector.Detect(obj, State)];
    }
}
