using System.Text.Json;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>
/// Replays a scenario through the detection half of the pipeline, built from the production parts: the timeline's
/// operations (host twins included) are normalized by ingest's <see cref="ObjectNormalizer"/> with each cluster's
/// identity, fed to an <see cref="InMemoryClusterState"/> on the scenario clock, and every object an operation touched
/// is run through <see cref="DetectorRunner"/> and <see cref="IncidentCorrelator.Evaluate(ObjectRef, IEnumerable{Finding}, IClusterState)"/>.
/// Operations sharing one instant are applied together before evaluation (a watch delivers them in one burst); after
/// the last step every object is evaluated once more at the final time (an informer resync), so detectors that judge
/// by elapsed time see the end state.
/// </summary>
internal sealed class ScenarioPipeline
{
    private const int MaxLogLineLength = 4096;

    private static readonly Dictionary<string, KubeResource> ExtraResources = new(StringComparer.Ordinal)
    {
        ["ServiceAccount"] = new("", "v1", "serviceaccounts", "ServiceAccount", true),
        ["IngressClass"] = new("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),
    };

    private readonly Scenario scenario;
    private readonly Dictionary<string, ObjectNormalizer> normalizers = new(StringComparer.Ordinal);
    private readonly InMemoryClusterState state;
    private readonly DetectorRunner runner = new(DetectorCatalog.Incidents());
    private static readonly CorrelationOptions Options = new();
    private readonly IncidentCorrelator correlator = new(Options);
    private readonly Dictionary<string, Incident> incidents = new(StringComparer.Ordinal);

    private ScenarioPipeline(Scenario scenario)
    {
        this.scenario = scenario;
        state = new InMemoryClusterState(scenario.StartTime);
        var tenants = new TenantResolver(null);
        normalizers[ScenarioCluster.HostName] = new ObjectNormalizer(ClusterIdentity.Host(ScenarioCluster.HostName), tenants, includeConfigMapData: false);
        foreach (var cluster in scenario.Clusters.Where(c => c.VCluster is not null))
        {
            var hostNamespace = cluster.VCluster!.HostNamespace;
            tenants.SetVCluster(hostNamespace, cluster.Name, cluster.Name);
            normalizers[cluster.Name] = new ObjectNormalizer(
                ClusterIdentity.VCluster(cluster.Name, tenant: cluster.Name, ScenarioCluster.HostName, hostNamespace),
                tenants,
                includeConfigMapData: false);
        }
    }

    /// <summary>Replays <paramref name="scenario"/> and returns every incident the correlator published, each at its last revision.</summary>
    public static ScenarioOutcome Run(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var pipeline = new ScenarioPipeline(scenario);
        return pipeline.Replay(ScenarioTimeline.Build(scenario));
    }

    private ScenarioOutcome Replay(IReadOnlyList<ClusterOperation> operations)
    {
        var end = scenario.StartTime;
        foreach (var burst in operations.GroupBy(o => o.At).OrderBy(g => g.Key))
        {
            end = scenario.StartTime + burst.Key;
            state.SetNow(end);
            var changed = new Dictionary<string, ObjectRef>(StringComparer.Ordinal);
            foreach (var operation in burst)
            {
                Apply(operation, changed);
            }

            foreach (var reference in changed.Values)
            {
                Evaluate(reference);
            }

            Record(correlator.Advance(end));
        }

        // Resync: every object once more at the final time.
        foreach (var cluster in state.Clusters)
        {
            foreach (var kind in runner.Kinds)
            {
                foreach (var obj in state.List(cluster, kind).ToList())
                {
                    Record(correlator.Evaluate(obj.Ref, runner.Run(obj, state), state));
                }
            }
        }

        Record(correlator.Advance(end));

        // The pipeline keeps running after the last step: one refresh interval later the punctuator
        // publishes what changed without changing the incident's kind (new evidence, more pods).
        Record(correlator.Advance(end + Options.RefreshInterval));
        return new ScenarioOutcome([.. incidents.Values.OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)], runner.Failures);
    }

    private void Apply(ClusterOperation operation, Dictionary<string, ObjectRef> changed)
    {
        switch (operation)
        {
            case ApplyObject apply:
                ApplyObject(apply, changed);
                break;
            case DeleteObject delete:
                var normalizer = Normalizer(delete.Cluster);
                var reference = normalizer.Reference(Resource(delete.Kind), Metadata(delete.Namespace, delete.Name));
                if (delete.Kind == "Event")
                {
                    state.RemoveEvent(reference);
                    break;
                }

                var existing = state.Find(delete.Cluster, delete.Kind, delete.Namespace, delete.Name);
                state.Remove(reference);
                // A deleted object reports nothing any more; objects that depended on it are judged again.
                changed[Key(reference)] = existing?.Ref ?? reference;
                MarkOwners(existing, changed);
                break;
            case SetPodLogs logs:
                var pod = state.Find(logs.Cluster, "Pod", logs.Namespace, logs.Pod)?.Ref
                    ?? Normalizer(logs.Cluster).Reference(Resource("Pod"), Metadata(logs.Namespace, logs.Pod));
                state.SetLogs(pod, logs.Container, logs.Previous, LogLineParser.Parse(pod, logs.Container, logs.Previous, string.Join('\n', logs.Lines), MaxLogLineLength, state.Now));
                changed[Key(pod)] = pod;
                break;
            default:
                break; // Metrics and business signals are not cluster state: the detectors do not read them.
        }
    }

    private void ApplyObject(ApplyObject apply, Dictionary<string, ObjectRef> changed)
    {
        var normalizer = Normalizer(apply.Cluster);
        // As the API server serves it: JSON text, so numbers read as a watch would read them.
        using var document = JsonDocument.Parse(apply.Object.ToJsonString());
        var json = document.RootElement;
        var kind = json.GetProperty("kind").GetString() ?? throw new InvalidOperationException($"{scenario.Name}: an applied object has no kind.");
        if (kind == "Event")
        {
            var kubeEvent = normalizer.Event(json, state.Now);
            state.AddEvent(kubeEvent);
            // An event changes what the detectors conclude about the object it is about.
            var involved = state.Find(kubeEvent.Involved.Cluster, kubeEvent.Involved.Kind, kubeEvent.Involved.Namespace, kubeEvent.Involved.Name);
            if (involved is not null)
            {
                changed[Key(involved.Ref)] = involved.Ref;
            }

            return;
        }

        var kubeObject = KubeObject.FromSnapshot(normalizer.Snapshot(Resource(kind), json, fromList: false, state.Now));
        state.Apply(kubeObject);
        changed[Key(kubeObject.Ref)] = kubeObject.Ref;

        // The endpoints controller writes a Service's Endpoints, not the Service: the Service is judged again.
        if (kind == "Endpoints"
            && state.Find(kubeObject.Ref.Cluster, "Service", kubeObject.Ref.Namespace, kubeObject.Ref.Name) is { } service)
        {
            changed[Key(service.Ref)] = service.Ref;
        }
    }

    // When a pod goes, its controller is judged again (a Deployment whose failing pod was replaced, a Job).
    private void MarkOwners(KubeObject? removed, Dictionary<string, ObjectRef> changed)
    {
        if (removed is null || removed.Ref.Kind != "Pod")
        {
            return;
        }

        foreach (var owner in state.List(removed.Ref.Cluster, "ReplicaSet", removed.Ref.Namespace).Concat(state.List(removed.Ref.Cluster, "Job", removed.Ref.Namespace)))
        {
            if (removed.Json.TryGetProperty("metadata", out var metadata)
                && metadata.TryGetProperty("ownerReferences", out var owners)
                && owners.ValueKind == JsonValueKind.Array
                && owners.EnumerateArray().Any(o => o.TryGetProperty("name", out var name) && name.GetString() == owner.Ref.Name))
            {
                changed[Key(owner.Ref)] = owner.Ref;
            }
        }
    }

    private void Evaluate(ObjectRef reference)
    {
        var current = state.Find(reference.Cluster, reference.Kind, reference.Namespace, reference.Name);
        IReadOnlyList<Finding> findings = current is null ? [] : runner.Run(current, state);
        Record(correlator.Evaluate(current?.Ref ?? reference, findings, state));
    }

    private void Record(IReadOnlyList<IncidentChange> changes)
    {
        foreach (var change in changes)
        {
            incidents[change.Incident.Id] = change.Incident;
        }
    }

    private ObjectNormalizer Normalizer(string cluster) =>
        normalizers.TryGetValue(cluster, out var normalizer)
            ? normalizer
            : throw new InvalidOperationException($"{scenario.Name}: cluster '{cluster}' is not declared.");

    private KubeResource Resource(string kind) =>
        KubeResources.Default.FirstOrDefault(r => r.Kind == kind) ?? ExtraResources.GetValueOrDefault(kind)
        ?? throw new InvalidOperationException($"{scenario.Name}: ingest watches no resource of kind {kind}; the scenario cannot be replayed as ingest would see it.");

    private static string Key(ObjectRef reference) => $"{reference.Cluster}/{reference.Kind}/{reference.Namespace}/{reference.Name}";

    private static JsonElement Metadata(string? objectNamespace, string name)
    {
        var json = JsonSerializer.Serialize(new { metadata = new { name, @namespace = objectNamespace } });
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
