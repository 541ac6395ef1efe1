using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace ChasiSre.Operator;

/// <summary>
/// SreAgent: renders the agent's objects (<see cref="AgentWorkloads"/>, the chart's shapes) and server-side applies them
/// with the operator's field manager and <c>force</c>, so every reconcile puts back what someone changed (drift). On the
/// host the namespaced objects carry an owner reference to the SreAgent (the garbage collector deletes them with it) and
/// every object the label <c>chasi.io/agent=&lt;namespace&gt;.&lt;name&gt;</c>; cluster-scoped RBAC (an owner reference from a
/// cluster-scoped object to a namespaced owner is invalid) and the objects inside vClusters (another API server) are
/// deleted by the operator. Workloads of components dropped from the spec, and agents in vClusters that left the scope,
/// are deleted. In distributed mode an ingest agent runs inside each selected vCluster, in <c>spec.distributed.namespace</c>.
/// </summary>
public sealed class SreAgentReconciler(KubeObjectClient kube, VClusterConnector vclusters, OperatorOptions options)
{
    public async Task<ReconcileOutcome> ReconcileAsync(JsonObject resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = resource["metadata"]!;
        var ns = metadata["namespace"]!.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        AgentSpec spec;
        try
        {
            spec = AgentSpec.Parse(resource["spec"] as JsonObject, options.DefaultImage);
        }
        catch (FormatException ex)
        {
            return ReconcileOutcome.Invalid("SpecInvalid", ex.Message);
        }

        var owner = new JsonObject
        {
            ["apiVersion"] = ChasiResources.ApiVersion,
            ["kind"] = ChasiResources.SreAgentKind,
            ["name"] = name,
            ["uid"] = metadata["uid"]?.GetValue<string>() ?? "",
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        };
        var applied = new JsonArray();
        foreach (var obj in AgentWorkloads.Render(name, ns, spec, AgentPlacement.Host))
        {
            Label(obj, ns, name);
            if (obj["metadata"]!["namespace"] is not null)
            {
                obj["metadata"]!["ownerReferences"] = new JsonArray(owner.DeepClone());
            }

            await kube.ApplyAsync(obj, cancellationToken).ConfigureAwait(false);
            if (obj["kind"]!.GetValue<string>() is "Deployment" or "StatefulSet")
            {
                applied.Add($"{obj["kind"]!.GetValue<string>()}/{obj["metadata"]!["name"]!.GetValue<string>()}");
            }
        }

        await RemoveComponentsAsync(kube, ns, name, AgentSpec.AllComponents.Except(spec.Components), cancellationToken).ConfigureAwait(false);

        var previous = (resource["status"]?["vclusters"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => (Name: v["name"]?.GetValue<string>() ?? "", Namespace: v["namespace"]?.GetValue<string>() ?? ""))
            .ToHashSet();
        var reports = new JsonArray();
        var failed = new List<string>();
        var selected = spec.Mode == "distributed" ? await vclusters.FindAsync(spec, cancellationToken).ConfigureAwait(false) : [];
        foreach (var vcluster in selected)
        {
            previous.Remove((vcluster.Name, vcluster.Namespace));
            var problem = await ApplyInsideAsync(vcluster, spec, ns, name, cancellationToken).ConfigureAwait(false);
            reports.Add(new JsonObject { ["name"] = vcluster.Name, ["namespace"] = vcluster.Namespace, ["ready"] = problem is null, ["message"] = problem ?? $"ingest applied in namespace {spec.AgentNamespace}" });
            if (problem is not null)
            {
                failed.Add($"{vcluster.Namespace}/{vcluster.Name}: {problem}");
            }
        }

        foreach (var (vcName, vcNamespace) in previous)
        {
            // Left the scope (or the mode changed): take the agent out of it.
            var gone = new VClusterTarget(vcName, vcNamespace, "", new Dictionary<string, string>());
            if (await RemoveInsideAsync(gone, spec, ns, name, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                reports.Add(new JsonObject { ["name"] = vcName, ["namespace"] = vcNamespace, ["ready"] = false, ["message"] = $"out of scope, removal failed: {problem}" });
                failed.Add($"{vcNamespace}/{vcName}: {problem}");
            }
        }

        var status = new JsonObject { ["workloads"] = applied, ["vclusters"] = reports };
        var where = spec.Mode == "distributed" ? $" and ingest in {selected.Count - failed.Count} of {selected.Count} vClusters" : "";
        return failed.Count == 0
            ? new ReconcileOutcome(true, "Accepted", "the spec is valid", true, "Applied", $"{applied.Count} workloads applied on the host{where}") { Status = status }
            : new ReconcileOutcome(true, "Accepted", "the spec is valid", false, "VClusterFailed", string.Join("\n", failed)) { Status = status };
    }

    /// <summary>The SreAgent is gone: the namespaced host objects follow it through their owner references; cluster-scoped RBAC and the agents inside vClusters are deleted here.</summary>
    public async Task DeletedAsync(JsonObject resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource["metadata"]!["namespace"]!.GetValue<string>();
        var name = resource["metadata"]!["name"]!.GetValue<string>();
        AgentSpec spec;
        try
        {
            spec = AgentSpec.Parse(resource["spec"] as JsonObject, options.DefaultImage);
        }
        catch (FormatException)
        {
            // An invalid agent never applied anything but what a previous valid spec did: remove every component's RBAC.
            spec = new AgentSpec { KafkaBootstrapServers = "-" };
        }

        await RemoveComponentsAsync(kube, ns, name, AgentSpec.AllComponents, cancellationToken, clusterScopedOnly: true).ConfigureAwait(false);
        foreach (var vcluster in (resource["status"]?["vclusters"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var target = new VClusterTarget(vcluster["name"]!.GetValue<string>(), vcluster["namespace"]!.GetValue<string>(), "", new Dictionary<string, string>());
            await RemoveInsideAsync(target, spec, ns, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<string?> ApplyInsideAsync(VClusterTarget vcluster, AgentSpec spec, string agentNamespace, string agent, CancellationToken cancellationToken) =>
        InsideAsync(vcluster, spec, async inside =>
        {
            var namespaceObject = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = spec.AgentNamespace },
            };
            Label(namespaceObject, agentNamespace, agent);
            await inside.ApplyAsync(namespaceObject, cancellationToken).ConfigureAwait(false);
            foreach (var obj in AgentWorkloads.Render(agent, spec.AgentNamespace, spec, new AgentPlacement(vcluster.Name, vcluster.Namespace, vcluster.Tenant)))
            {
                Label(obj, agentNamespace, agent);
                await inside.ApplyAsync(obj, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    private Task<string?> RemoveInsideAsync(VClusterTarget vcluster, AgentSpec spec, string agentNamespace, string agent, CancellationToken cancellationToken) =>
        InsideAsync(vcluster, spec, async inside =>
        {
            await RemoveComponentsAsync(inside, spec.AgentNamespace, agent, ["ingest"], cancellationToken).ConfigureAwait(false);
            await inside.DeleteAsync("v1", "ConfigMap", spec.AgentNamespace, AgentWorkloads.ComponentName(agent, "config"), cancellationToken).ConfigureAwait(false);
            if (await inside.GetAsync("v1", "Namespace", null, spec.AgentNamespace, cancellationToken).ConfigureAwait(false) is { } ns
                && ns["metadata"]?["labels"]?[ChasiResources.AgentLabel]?.GetValue<string>() == $"{agentNamespace}.{agent}")
            {
                await inside.DeleteAsync("v1", "Namespace", null, spec.AgentNamespace, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> against the vCluster's API server; null when done, else why not.</summary>
    private async Task<string?> InsideAsync(VClusterTarget vcluster, AgentSpec spec, Func<KubeObjectClient, Task> work, CancellationToken cancellationToken)
    {
        var (client, problem) = await vclusters.ConnectAsync(vcluster, spec.EndpointTemplate ?? options.VClusterEndpointTemplate, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return problem;
        }

        using (client)
        {
            try
            {
                await work(new KubeObjectClient(client, options.FieldManager)).ConfigureAwait(false);
                return null;
            }
            catch (HttpOperationException ex)
            {
                return $"the vCluster's API server answered {(int)ex.Response.StatusCode}: {ex.Response.Content}";
            }
            catch (HttpRequestException ex)
            {
                return $"the vCluster's API server is unreachable: {ex.Message}";
            }
        }
    }

    private static async Task RemoveComponentsAsync(KubeObjectClient client, string ns, string agent, IEnumerable<string> components, CancellationToken cancellationToken, bool clusterScopedOnly = false)
    {
        foreach (var component in components)
        {
            var name = AgentWorkloads.ComponentName(agent, component);
            if (component is "ingest" or "gateway")
            {
                await client.DeleteAsync("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, $"{ns}-{name}", cancellationToken).ConfigureAwait(false);
                await client.DeleteAsync("rbac.authorization.k8s.io/v1", "ClusterRole", null, $"{ns}-{name}", cancellationToken).ConfigureAwait(false);
            }

            if (clusterScopedOnly)
            {
                continue;
            }

            await client.DeleteAsync("apps/v1", component == "streams" ? "StatefulSet" : "Deployment", ns, name, cancellationToken).ConfigureAwait(false);
            await client.DeleteAsync("v1", "ServiceAccount", ns, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Label(JsonObject obj, string agentNamespace, string agent)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        if (metadata["labels"] is not JsonObject labels)
        {
            metadata["labels"] = labels = new JsonObject();
        }

        labels[ChasiResources.AgentLabel] = $"{agentNamespace}.{agent}";
    }
}
