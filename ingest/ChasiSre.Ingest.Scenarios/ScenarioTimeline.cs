using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Turns a scenario into the time-ordered operations an apiserver simulator executes, adding what vCluster's
/// syncer would do for every vCluster with <c>syncToHost</c>: the control plane on the host at t=0, a host twin of every
/// synced virtual object (deleted with it), fake nodes in the vCluster, host Events about twins copied into the vCluster,
/// and pod logs served on both sides.</summary>
/// <remarks>An object the scenario applies to a cluster explicitly takes precedence over a generated one with the same
/// kind, namespace and name from the time of its first explicit apply on: generated operations at or after that time
/// are dropped for that key (a later explicit apply replaces an earlier generated one).</remarks>
public static class ScenarioTimeline
{
    public static IReadOnlyList<ClusterOperation> Build(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new TimelineBuilder(scenario).Build();
    }

    private sealed class TimelineBuilder(Scenario scenario)
    {
        private readonly List<ClusterOperation> operations = [];
        private readonly Dictionary<(string Cluster, string Kind, string Namespace, string Name), TimeSpan> firstExplicit = [];
        private readonly Dictionary<(string HostNamespace, string Kind, string HostName), Twin> twins = [];
        private readonly Dictionary<string, JsonObject> hostNodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> fakeNodes = new(StringComparer.Ordinal);

        public IReadOnlyList<ClusterOperation> Build()
        {
            foreach (var step in scenario.Steps)
            {
                foreach (var obj in step.Apply)
                {
                    firstExplicit.TryAdd(Key(step.Cluster!, obj), step.At);
                }
            }

            var controlPlaneNode = scenario.Steps
                .Where(s => s.Cluster == ScenarioCluster.HostName && s.At == TimeSpan.Zero)
                .SelectMany(s => s.Apply)
                .Where(o => KubeJson.Kind(o) == "Node")
                .Select(KubeJson.Name)
                .FirstOrDefault();
            foreach (var cluster in scenario.Clusters)
            {
                if (cluster.VCluster is { SyncToHost: true } vc)
                {
                    foreach (var obj in VClusterControlPlane.Objects(cluster.Name, vc.HostNamespace, scenario.StartTime, controlPlaneNode))
                    {
                        EmitGenerated(TimeSpan.Zero, ScenarioCluster.HostName, obj);
                    }
                }
            }

            foreach (var step in scenario.Steps)
            {
                var vcluster = step.Cluster is null ? null : SyncedVCluster(step.Cluster);
                foreach (var obj in step.Apply)
                {
                    Apply(step, obj, vcluster);
                }

                foreach (var key in step.Delete)
                {
                    Delete(step, key, vcluster);
                }

                foreach (var logs in step.Logs)
                {
                    operations.Add(new SetPodLogs(step.At, step.Cluster!, logs.Namespace, logs.Pod, logs.Container, logs.Previous, logs.Lines));
                    if (vcluster is not null && !vcluster.Spec.HasNoTwin("Pod", logs.Namespace, logs.Pod))
                    {
                        var hostPod = VClusterNaming.HostName(logs.Pod, logs.Namespace, vcluster.Name);
                        operations.Add(new SetPodLogs(step.At, ScenarioCluster.HostName, vcluster.Spec.HostNamespace, hostPod, logs.Container, logs.Previous, logs.Lines));
                    }
                }

                foreach (var series in step.Metrics)
                {
                    var samples = series.Samples.Select(s => new MetricPoint(scenario.StartTime + s.Offset, s.Value)).ToList();
                    operations.Add(new PublishMetrics(step.At, series.Cluster, series.Name, series.Labels, samples));
                }

                foreach (var entry in step.Business)
                {
                    operations.Add(new PublishBusiness(
                        step.At,
                        entry.Tenant,
                        entry.Adapter,
                        entry.Status,
                        [.. entry.Events.Select(e => new TimedBusinessEvent(scenario.StartTime + e.At, e.Type, e.Reason, e.Message))],
                        [.. entry.Logs.Select(l => new TimedBusinessLog(scenario.StartTime + l.At, l.Level, l.Message))]));
                }
            }

            return [.. operations.OrderBy(o => o.At)];
        }

        private void Apply(ScenarioStep step, JsonObject obj, SyncedCluster? vcluster)
        {
            var cluster = step.Cluster!;
            operations.Add(new ApplyObject(step.At, cluster, obj));
            var kind = KubeJson.Kind(obj);
            if (cluster == ScenarioCluster.HostName)
            {
                if (kind == "Node")
                {
                    hostNodes[KubeJson.Name(obj)!] = obj;
                    RefreshFakeNodes(step.At, KubeJson.Name(obj)!);
                }
                else if (kind == "Event")
                {
                    CopyHostEvent(step.At, obj);
                }

                return;
            }

            if (vcluster is null)
            {
                return;
            }

            if (kind == "Event")
            {
                MirrorKubeletEvent(step.At, obj, vcluster);
            }

            if (kind == "Pod" && KubeJson.String(obj["spec"]?["nodeName"]) is { Length: > 0 } nodeName
                && FakeNodesOf(cluster).Add(nodeName))
            {
                EmitGenerated(step.At, cluster, VClusterTwins.FakeNode(cluster, nodeName, hostNodes.GetValueOrDefault(nodeName), scenario.StartTime + step.At));
            }

            if (!VClusterTwins.IsSynced(obj))
            {
                return;
            }

            var ns = KubeJson.Namespace(obj) ?? "default";
            var name = KubeJson.Name(obj)!;
            if (vcluster.Spec.HasNoTwin(kind, ns, name))
            {
                return;
            }

            var twin = VClusterTwins.Translate(obj, vcluster.Name, vcluster.Spec.HostNamespace);
            var hostName = KubeJson.Name(twin)!;
            twins[(vcluster.Spec.HostNamespace, kind, hostName)] = new Twin(vcluster.Name, KubeJson.ApiVersion(obj), ns, name, KubeJson.Uid(obj));
            EmitGenerated(step.At, ScenarioCluster.HostName, twin);
        }

        private void Delete(ScenarioStep step, ObjectKey key, SyncedCluster? vcluster)
        {
            operations.Add(new DeleteObject(step.At, step.Cluster!, key.ApiVersion!, key.Kind, key.Namespace, key.Name));
            if (vcluster is null || !VClusterNaming.SyncedKinds.Contains(key.Kind))
            {
                return;
            }

            var hostNamespace = vcluster.Spec.HostNamespace;
            var hostName = VClusterNaming.HostName(key.Name, key.Namespace ?? "default", vcluster.Name);
            if (twins.Remove((hostNamespace, key.Kind, hostName), out var twin)
                && !IsExplicit((ScenarioCluster.HostName, key.Kind, hostNamespace, hostName), step.At))
            {
                operations.Add(new DeleteObject(step.At, ScenarioCluster.HostName, twin.ApiVersion, key.Kind, hostNamespace, hostName, Generated: true));
            }
        }

        private void CopyHostEvent(TimeSpan at, JsonObject hostEvent)
        {
            var involved = hostEvent["involvedObject"] as JsonObject;
            if (involved is null
                || KubeJson.String(involved["kind"]) is not { } kind
                || KubeJson.String(involved["name"]) is not { } name
                || KubeJson.String(involved["namespace"]) is not { } ns
                || !twins.TryGetValue((ns, kind, name), out var twin))
            {
                return;
            }

            EmitGenerated(at, twin.Cluster, VClusterTwins.VirtualEvent(hostEvent, twin.Cluster, name, twin.Namespace, twin.Name, twin.Uid));
        }

        /// <summary>The kubelet only talks to the host: a virtual event it reported about a synced object exists because
        /// the same event exists on the host about the twin, so the host gets that event too.</summary>
        private void MirrorKubeletEvent(TimeSpan at, JsonObject virtualEvent, SyncedCluster vcluster)
        {
            if (KubeJson.String(virtualEvent["source"]?["component"]) != "kubelet" && KubeJson.String(virtualEvent["reportingComponent"]) != "kubelet")
            {
                return;
            }

            if (virtualEvent["involvedObject"] is not JsonObject involved
                || KubeJson.String(involved["kind"]) is not { } kind
                || KubeJson.String(involved["name"]) is not { } name)
            {
                return;
            }

            var ns = KubeJson.String(involved["namespace"]) ?? KubeJson.Namespace(virtualEvent) ?? "default";
            var hostNamespace = vcluster.Spec.HostNamespace;
            var hostName = VClusterNaming.HostName(name, ns, vcluster.Name);
            if (twins.ContainsKey((hostNamespace, kind, hostName)))
            {
                EmitGenerated(at, ScenarioCluster.HostName, VClusterTwins.HostEvent(virtualEvent, vcluster.Name, name, hostNamespace, hostName));
            }
        }

        private void RefreshFakeNodes(TimeSpan at, string nodeName)
        {
            foreach (var (cluster, nodes) in fakeNodes)
            {
                if (nodes.Contains(nodeName))
                {
                    EmitGenerated(at, cluster, VClusterTwins.FakeNode(cluster, nodeName, hostNodes[nodeName], scenario.StartTime + at));
                }
            }
        }

        private HashSet<string> FakeNodesOf(string cluster)
        {
            if (!fakeNodes.TryGetValue(cluster, out var nodes))
            {
                nodes = new HashSet<string>(StringComparer.Ordinal);
                fakeNodes[cluster] = nodes;
            }

            return nodes;
        }

        private void EmitGenerated(TimeSpan at, string cluster, JsonObject obj)
        {
            if (!IsExplicit(Key(cluster, obj), at))
            {
                operations.Add(new ApplyObject(at, cluster, obj, Generated: true));
            }
        }

        private bool IsExplicit((string, string, string, string) key, TimeSpan at) =>
            firstExplicit.TryGetValue(key, out var first) && first <= at;

        private SyncedCluster? SyncedVCluster(string name) =>
            scenario.FindCluster(name) is { VCluster: { SyncToHost: true } spec } ? new SyncedCluster(name, spec) : null;

        private static (string, string, string, string) Key(string cluster, JsonObject obj) =>
            (cluster, KubeJson.Kind(obj), KubeJson.Namespace(obj) ?? "", KubeJson.Name(obj) ?? "");
    }

    private sealed record SyncedCluster(string Name, VClusterSpec Spec);

    private sealed record Twin(string Cluster, string ApiVersion, string Namespace, string Name, string? Uid);
}
