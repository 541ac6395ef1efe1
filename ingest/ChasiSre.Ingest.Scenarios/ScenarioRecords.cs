using System.Text.Json;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>
/// A scenario's timeline as the records ingest publishes for it: each operation normalized by ingest's own code
/// (<see cref="ObjectNormalizer"/> with each cluster's <see cref="ClusterIdentity"/> and a <see cref="TenantResolver"/>
/// that knows every vCluster's host namespace, <see cref="ObjectNormalizer.Event"/>, <see cref="LogLineParser.Parse"/>
/// with the log collector's defaults), grouped by instant. A deleted object becomes the tombstone ingest publishes
/// (built from the object as last applied); a deleted Event becomes nothing (ingest publishes none: events expire).
/// Metric steps become the samples the metric ingest publishes and business steps the records the adapter gateway
/// publishes (<see cref="ScenarioTelemetry"/>).
/// </summary>
public static class ScenarioRecords
{
    private static readonly Dictionary<string, KubeResource> ExtraResources = new(StringComparer.Ordinal)
    {
        ["ServiceAccount"] = new("", "v1", "serviceaccounts", "ServiceAccount", true),
        ["IngressClass"] = new("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),
    };

    /// <summary>The records of <paramref name="scenario"/>, one batch per instant, in time order.</summary>
    /// <exception cref="ScenarioValidationException">An operation names an undeclared cluster or a kind ingest does not watch.</exception>
    public static IReadOnlyList<ScenarioRecordBatch> Build(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return Build(scenario, ScenarioTimeline.Build(scenario));
    }

    /// <summary>
    /// The records of <paramref name="operations"/> taken as they are (no timeline: no generated vCluster host side), on
    /// <paramref name="scenario"/>'s clusters and clock: for example a <see cref="ClusterDumpReader"/> dump of the host and
    /// dumps of its vClusters (declared with <c>syncToHost: false</c>, since the host dump already holds the twins).
    /// </summary>
    /// <exception cref="ScenarioValidationException">An operation names an undeclared cluster or a kind ingest does not watch.</exception>
    public static IReadOnlyList<ScenarioRecordBatch> Build(Scenario scenario, IReadOnlyList<ClusterOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(operations);
        var normalizers = Normalizers(scenario);
        var lastApplied = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var batches = new List<ScenarioRecordBatch>();
        foreach (var step in operations.GroupBy(o => o.At).OrderBy(g => g.Key))
        {
            var at = scenario.StartTime + step.Key;
            var records = new List<DetectionInput>();
            foreach (var operation in step)
            {
                switch (operation)
                {
                    case ApplyObject apply:
                        records.Add(Apply(scenario, Normalizer(scenario, normalizers, apply.Cluster), apply, at, lastApplied));
                        break;
                    case DeleteObject delete when delete.Kind == "Event":
                        break;
                    case DeleteObject delete:
                        records.Add(Delete(scenario, Normalizer(scenario, normalizers, delete.Cluster), delete, at, lastApplied));
                        break;
                    case SetPodLogs logs:
                        var normalizer = Normalizer(scenario, normalizers, logs.Cluster);
                        var pod = lastApplied.TryGetValue(Key(logs.Cluster, "Pod", logs.Namespace, logs.Pod), out var podJson)
                            ? normalizer.Reference(Resource(scenario, "Pod"), podJson)
                            : normalizer.Reference(Resource(scenario, "Pod"), Metadata(logs.Namespace, logs.Pod));
                        var text = string.Join('\n', logs.Lines);
                        records.AddRange(LogLineParser.Parse(pod, logs.Container, logs.Previous, text, new PodLogOptions().MaxLineLength, at)
                            .Select(line => new DetectionInput { Log = line }));
                        break;
                    case PublishMetrics series:
                        records.Add(new DetectionInput { Metric = ScenarioTelemetry.Metric(scenario, series) });
                        break;
                    case PublishBusiness report:
                        records.AddRange(ScenarioTelemetry.Business(scenario, report).Select(record => new DetectionInput { Business = record }));
                        break;
                    default:
                        throw new ScenarioValidationException($"{scenario.Name}: no record for a {operation.GetType().Name} at {operation.At.TotalSeconds}s");
                }
            }

            batches.Add(new ScenarioRecordBatch(step.Key, records));
        }

        return batches;
    }

    private static DetectionInput Apply(Scenario scenario, ObjectNormalizer normalizer, ApplyObject apply, DateTimeOffset at, Dictionary<string, JsonElement> lastApplied)
    {
        // As the API server serves it: JSON text, so numbers read as a watch reads them.
        using var document = JsonDocument.Parse(apply.Object.ToJsonString());
        var json = document.RootElement;
        var kind = json.TryGetProperty("kind", out var k) ? k.GetString() : null;
        if (string.IsNullOrEmpty(kind))
        {
            throw new ScenarioValidationException($"{scenario.Name}: an object applied at {apply.At.TotalSeconds}s to cluster {apply.Cluster} has no kind.");
        }

        if (kind == "Event")
        {
            var kubeEvent = normalizer.Event(json, at);
            if (kubeEvent.Event is { Uid.Length: 0 } eventRef)
            {
                // The API server gives every Event a uid at creation and keeps it while the count grows; scenarios
                // rarely write one, and stores deduplicate events by it.
                eventRef.Uid = StableUid(apply.Cluster, eventRef.Namespace, eventRef.Name);
            }

            return new DetectionInput { Event = kubeEvent };
        }

        var snapshot = normalizer.Snapshot(Resource(scenario, kind), json, fromList: false, at);
        lastApplied[Key(apply.Cluster, kind, snapshot.Ref.Namespace, snapshot.Ref.Name)] = json.Clone();
        return new DetectionInput { Object = new ObjectRecord { Snapshot = snapshot } };
    }

    private static string StableUid(string cluster, string objectNamespace, string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{cluster}/{objectNamespace}/{name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static DetectionInput Delete(Scenario scenario, ObjectNormalizer normalizer, DeleteObject delete, DateTimeOffset at, Dictionary<string, JsonElement> lastApplied)
    {
        var key = Key(delete.Cluster, delete.Kind, delete.Namespace ?? "", delete.Name);
        var json = lastApplied.Remove(key, out var previous) ? previous : Metadata(delete.Namespace, delete.Name);
        return new DetectionInput { Object = new ObjectRecord { Tombstone = normalizer.Tombstone(Resource(scenario, delete.Kind), json, at) } };
    }

    private static Dictionary<string, ObjectNormalizer> Normalizers(Scenario scenario)
    {
        var tenants = new TenantResolver(null);
        // A scenario's host is always "host"; a dump read with another cluster name keeps that name.
        var host = scenario.Clusters.FirstOrDefault(c => c.VCluster is null)?.Name ?? ScenarioCluster.HostName;
        var normalizers = new Dictionary<string, ObjectNormalizer>(StringComparer.Ordinal)
        {
            [host] = new ObjectNormalizer(ClusterIdentity.Host(host), tenants, includeConfigMapData: false),
        };
        foreach (var cluster in scenario.Clusters.Where(c => c.VCluster is not null))
        {
            var hostNamespace = cluster.VCluster!.HostNamespace;
            tenants.SetVCluster(hostNamespace, cluster.Name, cluster.Name);
            normalizers[cluster.Name] = new ObjectNormalizer(
                ClusterIdentity.VCluster(cluster.Name, tenant: cluster.Name, host, hostNamespace),
                tenants,
                includeConfigMapData: false);
        }

        return normalizers;
    }

    private static ObjectNormalizer Normalizer(Scenario scenario, Dictionary<string, ObjectNormalizer> normalizers, string cluster) =>
        normalizers.TryGetValue(cluster, out var normalizer)
            ? normalizer
            : throw new ScenarioValidationException($"{scenario.Name}: cluster '{cluster}' is not declared.");

    private static KubeResource Resource(Scenario scenario, string kind) =>
        KubeResources.Default.FirstOrDefault(r => r.Kind == kind) ?? ExtraResources.GetValueOrDefault(kind)
        ?? throw new ScenarioValidationException($"{scenario.Name}: ingest watches no resource of kind {kind}; the scenario cannot be replayed as ingest would see it.");

    private static string Key(string cluster, string kind, string? objectNamespace, string name) => $"{cluster}/{kind}/{objectNamespace}/{name}";

    private static JsonElement Metadata(string? objectNamespace, string name)
    {
        var json = JsonSerializer.Serialize(new { metadata = new { name, @namespace = objectNamespace } });
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
