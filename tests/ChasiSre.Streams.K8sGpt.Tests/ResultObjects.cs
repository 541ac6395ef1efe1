using System.Text.Json;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt.Tests;

/// <summary>k8sgpt-operator Result objects as ingest publishes them (TestData/*.json).</summary>
internal static class ResultObjects
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 15, 0, TimeSpan.Zero);

    public static KubeObject Load(string file, Layer layer = Layer.Host, string cluster = "prod-eu1", string tenant = "") =>
        Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", file)), layer, cluster, tenant);

    public static KubeObject Parse(string json, Layer layer = Layer.Host, string cluster = "prod-eu1", string tenant = "")
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var metadata = root.GetProperty("metadata");
        var reference = new ObjectRef
        {
            Cluster = cluster,
            Tenant = tenant,
            Layer = layer,
            ApiVersion = root.TryGetProperty("apiVersion", out var apiVersion) ? apiVersion.GetString() ?? "" : "",
            Kind = root.GetProperty("kind").GetString() ?? "",
            Namespace = metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() ?? "" : "",
            Name = metadata.GetProperty("name").GetString() ?? "",
            HostCluster = layer == Layer.Virtual ? "host-a" : cluster,
            HostNamespace = layer == Layer.Virtual ? $"vc-{cluster}" : "",
        };
        return new KubeObject(reference, root, "1", T0);
    }

    public static KubeObject Object(ObjectRef reference) =>
        new(reference, JsonDocument.Parse("""{"metadata":{},"spec":{}}""").RootElement.Clone(), "7", T0);
}
