using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.TestKit;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Operator.Tests;

/// <summary>
/// A host cluster for the operator: the API server simulator with the chart's CRDs applied (so chasi.io kinds are served,
/// validated and have a status subresource), a real KubernetesClient on it, and the operator's reconcilers wired as
/// <see cref="OperatorServiceCollectionExtensions.AddChasiOperator"/> wires them.
/// </summary>
internal sealed class OperatorWorld : IAsyncDisposable
{
    private readonly string _directory;

    private OperatorWorld(ApiServerSimulator host, string directory, IKnowledgeHandOff handOff, OperatorOptions options)
    {
        Host = host;
        _directory = directory;
        Options = options;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(host.WriteKubeconfig(Path.Combine(directory, "host.kubeconfig"))));
        Kube = new KubeObjectClient(Client, options.FieldManager);
        Connector = new VClusterConnector(Client, TimeSpan.FromSeconds(30));
        Agents = new SreAgentReconciler(Kube, Connector, options);
        Policies = new ActionPolicyReconciler(Kube, options);
        Knowledge = new KnowledgeSourceReconciler(Kube, handOff, options, TimeProvider.System);
        Reconciler = new OperatorReconciler(Kube, Agents, Knowledge, Policies, new StatusReporter(Kube, TimeProvider.System), TimeProvider.System, NullLogger<OperatorReconciler>.Instance);
    }

    public ApiServerSimulator Host { get; }

    public Kubernetes Client { get; }

    public KubeObjectClient Kube { get; }

    public OperatorOptions Options { get; }

    public VClusterConnector Connector { get; }

    public SreAgentReconciler Agents { get; }

    public ActionPolicyReconciler Policies { get; }

    public KnowledgeSourceReconciler Knowledge { get; }

    public OperatorReconciler Reconciler { get; }

    public string Directory => _directory;

    public static async Task<OperatorWorld> StartAsync(CancellationToken cancellationToken, IKnowledgeHandOff? handOff = null, OperatorOptions? options = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("chasi-operator-").FullName;
        var host = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host" }, cancellationToken);
        foreach (var file in System.IO.Directory.GetFiles(RepositoryLayout.Crds, "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var crd in YamlJson.Documents(await File.ReadAllTextAsync(file, cancellationToken)))
            {
                host.Apply(crd);
            }
        }

        return new OperatorWorld(host, directory, handOff ?? new UnusedHandOff(), options ?? new OperatorOptions { LeaseNamespace = "chasi-system" });
    }

    /// <summary>Creates a chasi.io resource through the API (as kubectl would), returning what the server stored.</summary>
    public async Task<JsonObject> CreateAsync(string kind, string @namespace, string name, JsonObject spec, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = ChasiResources.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = spec,
        };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, ChasiResources.Group, ChasiResources.Version, @namespace, ChasiResources.Plural(kind), cancellationToken: cancellationToken);
        return KubeObjectClient.ToJson(created);
    }

    public JsonObject? Get(string apiVersion, string kind, string? @namespace, string name) => Host.Get(apiVersion, kind, @namespace, name);

    public JsonObject Resource(string kind, string @namespace, string name) =>
        Host.Get(ChasiResources.ApiVersion, kind, @namespace, name) ?? throw new InvalidOperationException($"{kind} {@namespace}/{name} not found");

    public static JsonObject? Condition(JsonObject resource, string type) =>
        (resource["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    /// <summary>For tests that create no KnowledgeSource: handing documents over would be a bug there.</summary>
    private sealed class UnusedHandOff : IKnowledgeHandOff
    {
        public Task PublishAsync(KnowledgeBatch batch, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("this test creates no KnowledgeSource; nothing should be handed over");
    }
}
