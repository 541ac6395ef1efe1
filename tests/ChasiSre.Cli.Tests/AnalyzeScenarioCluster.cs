using ChasiSre.Ingest.Scenarios;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// A scenario's final state served by the apiserver simulator (one per cluster: the host and each vCluster, the host side
/// of every vCluster generated as the syncer would), and what a user does with it: <c>kubectl cluster-info dump</c> of
/// each cluster through its kubeconfig, or a live scan of the host.
/// </summary>
internal sealed class AnalyzeScenarioCluster : IAsyncDisposable
{
    private readonly ScenarioReplay replay;

    private AnalyzeScenarioCluster(Scenario scenario, ScenarioReplay replay, string directory)
    {
        Scenario = scenario;
        this.replay = replay;
        Directory = directory;
    }

    public Scenario Scenario { get; }

    /// <summary>A temporary directory of this test (kubeconfigs, dumps).</summary>
    public string Directory { get; }

    /// <summary>Where each vCluster's API is, as <c>NAMESPACE/NAME=URL</c> for <c>--vcluster-endpoint</c>.</summary>
    public IEnumerable<string> VClusterEndpoints => replay.VClusterEndpoints.Select(e => $"{e.Key}={e.Value}");

    public static async Task<AnalyzeScenarioCluster> StartAsync(string scenarioDirectory, CancellationToken cancellationToken)
    {
        var scenario = ScenarioLoader.Load(scenarioDirectory);
        var directory = Path.Combine(Path.GetTempPath(), $"chasi-analyze-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var replay = await ScenarioReplay.StartAsync(scenario, cancellationToken: cancellationToken);
        try
        {
            await replay.RunAsync((_, _) => ValueTask.CompletedTask, (_, _) => Task.CompletedTask, cancellationToken);
            CreateNamespacesAsTheApiServerRequires(scenario, replay);
            ServeCurrentLogsAsKubeletDoes(scenario, replay);
            return new AnalyzeScenarioCluster(scenario, replay, directory);
        }
        catch
        {
            await replay.DisposeAsync();
            throw;
        }
    }

    /// <summary>The kubeconfig of cluster <paramref name="cluster"/> (written once).</summary>
    public string Kubeconfig(string cluster)
    {
        var path = Path.Combine(Directory, $"{cluster}.kubeconfig");
        return File.Exists(path) ? path : replay.Clusters[cluster].WriteKubeconfig(path);
    }

    /// <summary>Runs the real <c>kubectl cluster-info dump --all-namespaces --output-directory</c> against <paramref name="cluster"/>.</summary>
    public async Task<string> DumpAsync(string cluster, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Directory, "dump", cluster);
        await AnalyzeKubectl.RunAsync(Kubeconfig(cluster), cancellationToken, "cluster-info", "dump", "--all-namespaces", $"--output-directory={output}");
        return output;
    }

    /// <summary>The <c>chasi analyze</c> arguments for dumps of the host and of every vCluster.</summary>
    public async Task<List<string>> DumpArgumentsAsync(CancellationToken cancellationToken)
    {
        var args = new List<string> { "--dump", await DumpAsync(ScenarioCluster.HostName, cancellationToken) };
        foreach (var cluster in Scenario.Clusters.Where(c => c.VCluster is not null))
        {
            args.Add("--vcluster-dump");
            args.Add($"{cluster.Name}={await DumpAsync(cluster.Name, cancellationToken)}");
        }

        return args;
    }

    public async ValueTask DisposeAsync()
    {
        await replay.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>
    /// Scenarios rarely write Namespace objects, and the simulator stores objects in any namespace; a real API server
    /// refuses objects in a namespace that does not exist (NamespaceLifecycle admission), and <c>kubectl cluster-info dump
    /// --all-namespaces</c> dumps the namespaces it lists. So every namespace an object of a cluster uses exists there.
    /// </summary>
    private static void CreateNamespacesAsTheApiServerRequires(Scenario scenario, ScenarioReplay replay)
    {
        var operations = ScenarioTimeline.Build(scenario);
        var existing = operations.OfType<ApplyObject>().Where(a => (string?)a.Object["kind"] == "Namespace")
            .Select(a => (a.Cluster, (string)a.Object["metadata"]!["name"]!)).ToHashSet();
        var used = operations.OfType<ApplyObject>()
            .Select(a => (a.Cluster, Namespace: (string?)a.Object["metadata"]?["namespace"]))
            .Where(u => !string.IsNullOrEmpty(u.Namespace))
            .Select(u => (u.Cluster, u.Namespace!))
            .Distinct();
        foreach (var (cluster, ns) in used.Where(u => !existing.Contains(u)))
        {
            replay.Clusters[cluster].Apply(new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns },
                ["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Active" },
            });
        }
    }

    /// <summary>
    /// Scenarios often give only the previous log of a crashlooping container. The kubelet answers a request for the
    /// current log of a container that waits to restart with the log of its last terminated instance
    /// (validateContainerLogStatus: <c>case lastState.Terminated != nil</c> before <c>case waiting != nil</c>), and that is
    /// what <c>kubectl cluster-info dump</c> writes; the simulator serves only what it was given, so this serves the same.
    /// </summary>
    private static void ServeCurrentLogsAsKubeletDoes(Scenario scenario, ScenarioReplay replay)
    {
        var operations = ScenarioTimeline.Build(scenario);
        var current = operations.OfType<SetPodLogs>().Where(l => !l.Previous).Select(l => (l.Cluster, l.Namespace, l.Pod, l.Container)).ToHashSet();
        var pods = new Dictionary<(string, string, string), System.Text.Json.Nodes.JsonObject>();
        foreach (var apply in operations.OfType<ApplyObject>().Where(a => (string?)a.Object["kind"] == "Pod"))
        {
            pods[(apply.Cluster, (string?)apply.Object["metadata"]?["namespace"] ?? "", (string)apply.Object["metadata"]!["name"]!)] = apply.Object;
        }

        foreach (var log in operations.OfType<SetPodLogs>().Where(l => l.Previous && !current.Contains((l.Cluster, l.Namespace, l.Pod, l.Container))))
        {
            if (!pods.TryGetValue((log.Cluster, log.Namespace, log.Pod), out var pod))
            {
                continue;
            }

            var statuses = (pod["status"]?["containerStatuses"]?.AsArray() ?? []).Concat(pod["status"]?["initContainerStatuses"]?.AsArray() ?? []);
            var status = statuses.FirstOrDefault(s => (string?)s?["name"] == log.Container);
            if (status?["state"]?["waiting"] is not null && status["lastState"]?["terminated"] is not null)
            {
                replay.Clusters[log.Cluster].SetLogs(log.Namespace, log.Pod, log.Container, previous: false, log.Lines);
            }
        }
    }
}
