using ChasiSre.Ingest.Simulator;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>
/// Serves a scenario (or a cluster dump) through one <see cref="ApiServerSimulator"/> per cluster
/// and applies its operations in time order on a <see cref="ScenarioClock"/>. Between time steps
/// it awaits the caller's <c>settle</c> callback, so real watchers can see every intermediate
/// state (a pod that is Pending at t=0 and Running at t=5 produces both snapshots) rather than
/// only the last one. Metric and business operations are not Kubernetes state: they go to the
/// caller's <c>publish</c> callback.
/// </summary>
public sealed class ScenarioReplay : IAsyncDisposable
{
    private readonly IReadOnlyList<ClusterOperation> operations;
    private readonly Dictionary<string, ApiServerSimulator> simulators;
    private readonly Dictionary<string, string> endpoints;
    private int next;

    private ScenarioReplay(IReadOnlyList<ClusterOperation> operations, ScenarioClock clock, Dictionary<string, ApiServerSimulator> simulators, Dictionary<string, string> endpoints)
    {
        this.operations = operations;
        Clock = clock;
        this.simulators = simulators;
        this.endpoints = endpoints;
    }

    /// <summary>The replay's clock.</summary>
    public ScenarioClock Clock { get; }

    /// <summary>The simulator of each cluster, by cluster name (<c>host</c> and every vCluster).</summary>
    public IReadOnlyDictionary<string, ApiServerSimulator> Clusters => simulators;

    /// <summary>The host cluster's simulator.</summary>
    public ApiServerSimulator Host => simulators[ScenarioCluster.HostName];

    /// <summary>
    /// Where each vCluster's API is, keyed <c>hostNamespace/name</c> like
    /// <see cref="IngestOptions.VClusterEndpoints"/>: the host agent reaches the simulated vClusters there.
    /// </summary>
    public IReadOnlyDictionary<string, string> VClusterEndpoints => endpoints;

    /// <summary>True when every operation has been applied.</summary>
    public bool Completed => next >= operations.Count;

    /// <summary>Starts simulators for the scenario's clusters; nothing is applied yet.</summary>
    public static Task<ScenarioReplay> StartAsync(Scenario scenario, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return StartAsync(ScenarioTimeline.Build(scenario), scenario.StartTime, scenario.Clusters, loggerFactory, cancellationToken);
    }

    /// <summary>Starts simulators for <paramref name="clusters"/> (or just <c>host</c>) to replay <paramref name="operations"/>, e.g. from <see cref="ClusterDumpReader"/>.</summary>
    public static async Task<ScenarioReplay> StartAsync(
        IReadOnlyList<ClusterOperation> operations,
        DateTimeOffset startTime,
        IReadOnlyList<ScenarioCluster>? clusters = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        clusters ??= [new ScenarioCluster(ScenarioCluster.HostName, null)];
        var clock = new ScenarioClock(startTime);
        var simulators = new Dictionary<string, ApiServerSimulator>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var cluster in clusters)
            {
                var simulator = await ApiServerSimulator.StartAsync(
                    new ApiServerSimulatorOptions { ClusterName = cluster.Name, TimeProvider = clock, LoggerFactory = loggerFactory, BookmarkInterval = TimeSpan.FromSeconds(5) },
                    cancellationToken);
                simulators[cluster.Name] = simulator;
                if (cluster.VCluster is { } vcluster)
                {
                    endpoints[$"{vcluster.HostNamespace}/{cluster.Name}"] = simulator.BaseAddress.ToString();
                }
            }

            var unknown = operations.Select(o => o.Cluster).Where(c => !simulators.ContainsKey(c) && operations.Any(o => o.Cluster == c && o is ApplyObject or DeleteObject or SetPodLogs)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"operations name undeclared clusters: {string.Join(", ", unknown)}", nameof(operations));
            }
        }
        catch
        {
            foreach (var simulator in simulators.Values)
            {
                await simulator.DisposeAsync();
            }

            throw;
        }

        return new ScenarioReplay(operations, clock, simulators, endpoints);
    }

    /// <summary>
    /// Applies every operation, one time step after the other: advance the clock, apply the step's
    /// operations, then await <paramref name="settle"/> (for example, until ingest has published what
    /// the step changed) before the next step.
    /// </summary>
    public async Task RunAsync(Func<ClusterOperation, CancellationToken, ValueTask> publish, Func<TimeSpan, CancellationToken, Task> settle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentNullException.ThrowIfNull(settle);
        while (!Completed)
        {
            var at = operations[next].At;
            await ApplyStepAsync(publish, cancellationToken);
            await settle(at, cancellationToken);
        }
    }

    /// <summary>Applies the operations of the next time step; returns its offset, or null when none is left.</summary>
    public async Task<TimeSpan?> ApplyStepAsync(Func<ClusterOperation, CancellationToken, ValueTask> publish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        if (Completed)
        {
            return null;
        }

        var at = operations[next].At;
        Clock.AdvanceTo(at);
        for (; next < operations.Count && operations[next].At == at; next++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operations[next])
            {
                case ApplyObject apply:
                    simulators[apply.Cluster].Apply(apply.Object.DeepClone().AsObject());
                    break;
                case DeleteObject delete:
                    simulators[delete.Cluster].Delete(delete.ApiVersion, delete.Kind, delete.Namespace, delete.Name);
                    break;
                case SetPodLogs logs:
                    simulators[logs.Cluster].SetLogs(logs.Namespace, logs.Pod, logs.Container, logs.Previous, logs.Lines);
                    break;
                case var other:
                    await publish(other, cancellationToken);
                    break;
            }
        }

        return at;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var simulator in simulators.Values)
        {
            await simulator.DisposeAsync();
        }
    }
}
