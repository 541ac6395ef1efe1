using System.Text.Json;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Schemas.V1;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi analyze</c> as a user runs it: the built binary on the dumps the real kubectl writes from the apiserver
/// simulator serving a scenario's final state, or on the simulator itself through a kubeconfig.
/// </summary>
public sealed class AnalyzeCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Theory]
    [InlineData("crashloop-missing-env")]
    [InlineData("host-quota-rejects-twin")]
    [InlineData("node-disk-pressure-evictions")]
    public async Task Analyze_DumpOfExampleScenario_PrintsExpectedIncidentsAndExitsOne(string example)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await AnalyzeScenarioCluster.StartAsync(SharedExamples.Example(example), ct);
        var args = await cluster.DumpArgumentsAsync(ct);

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. args, "--format", "json"]);

        Assert.True(exit == 1, $"exit {exit}: {stderr}\n{stdout}");
        using var json = JsonDocument.Parse(stdout);
        var (incidents, evidence) = Incidents(json);
        var failures = ScenarioJudge.Judge(cluster.Scenario.Expect!, incidents, i => evidence[i.Id]);
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + ScenarioJudge.Describe(incidents));
        foreach (var incident in json.RootElement.GetProperty("incidents").EnumerateArray())
        {
            var diagnosis = incident.GetProperty("diagnosis");
            Assert.Equal("deterministic", diagnosis.GetProperty("provider").GetString());
            Assert.False(string.IsNullOrWhiteSpace(diagnosis.GetProperty("rootCause").GetString()));
            Assert.NotEmpty(diagnosis.GetProperty("remediation").EnumerateArray());
        }

        var source = json.RootElement.GetProperty("source");
        Assert.Equal("dump", source.GetProperty("kind").GetString());
        Assert.Equal(cluster.Scenario.Clusters.Count, source.GetProperty("clusters").GetArrayLength());
        Assert.Equal(incidents.Count, json.RootElement.GetProperty("summary").GetProperty("incidents").GetInt32());
    }

    [Fact]
    public async Task Analyze_DumpOfHealthyCluster_PrintsNoIncidentsAndExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        // The healthy half of an example: its node and the frontend Deployment, ReplicaSet, ready pods and Service.
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        await using var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host", TimeProvider = new ScenarioClock(scenario.StartTime) }, ct);
        var healthy = scenario.Steps.SelectMany(s => s.Apply)
            .Where(o => (string?)o["kind"] == "Node" || ((string?)o["metadata"]?["name"])?.StartsWith("frontend", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal(2, healthy.Count(o => (string?)o["kind"] == "Pod"));
        simulator.Apply(new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "shop" } });
        foreach (var obj in healthy)
        {
            simulator.Apply(obj.DeepClone().AsObject());
        }

        using var temp = new TempDirectory();
        var directory = temp.Path;
        var kubeconfig = simulator.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        await AnalyzeKubectl.RunAsync(kubeconfig, ct, "cluster-info", "dump", "--all-namespaces", $"--output-directory={Path.Combine(directory, "dump")}");

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "analyze", "--dump", Path.Combine(directory, "dump"));

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.StartsWith("no incidents (dump of host as of 2026-03-01T10:00:00Z)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MalformedDump_ExitsTwoNamingTheFile()
    {
        using var temp = new TempDirectory();
        var directory = temp.Path;
        Directory.CreateDirectory(Path.Combine(directory, "shop"));
        await File.WriteAllTextAsync(Path.Combine(directory, "nodes.json"), """{"kind":"NodeList","apiVersion":"v1","items":[]}""", TestContext.Current.CancellationToken);
        var pods = Path.Combine(directory, "shop", "pods.json");
        await File.WriteAllTextAsync(pods, """{"kind":"PodList","items":[{"metadata":{"name":"a"}""", TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "analyze", "--dump", directory, "--format", "json");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains(pods, stderr, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MissingDumpDirectory_ExitsTwo()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"chasi-analyze-missing-{Guid.NewGuid():N}");

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "analyze", "--dump", missing);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_NamespaceAndTenantFilters_KeepOnlyIncidentsTheyName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await AnalyzeScenarioCluster.StartAsync(SharedExamples.Example("crashloop-missing-env"), ct);
        var args = await cluster.DumpArgumentsAsync(ct);

        var other = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. args, "--namespace", "billing", "--format", "json"]);
        var otherTenant = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. args, "--tenant", "team-b", "--format", "json"]);
        var shop = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. args, "--namespace", "shop", "--tenant", "team-a"]);

        Assert.True(other.ExitCode == 0, other.StdErr);
        using (var json = JsonDocument.Parse(other.StdOut))
        {
            Assert.Empty(json.RootElement.GetProperty("incidents").EnumerateArray());
            Assert.Equal("billing", json.RootElement.GetProperty("source").GetProperty("namespace").GetString());
        }

        Assert.True(otherTenant.ExitCode == 0, otherTenant.StdErr);
        Assert.True(shop.ExitCode == 1, shop.StdErr);
        var lines = shop.StdOut.Split('\n');
        Assert.StartsWith("HIGH     CrashLoop  layer virtual  team-a/Deployment/shop/checkout  tenant team-a", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  root cause   ", StringComparison.Ordinal) && l.Contains("DEPLOY_ENV", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  runbook      kb:runbooks/crashloop-backoff.md#", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("1 incident(s) in namespace shop of tenant team-a: 0 critical, 1 high", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analyze_LiveClusterWithVClusters_FindsTheIncidentsOfItsDump()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await AnalyzeScenarioCluster.StartAsync(SharedExamples.Example("crashloop-missing-env"), ct);
        var dumpArgs = await cluster.DumpArgumentsAsync(ct);
        string[] liveArgs = ["--kubeconfig", cluster.Kubeconfig(ScenarioCluster.HostName), "--vclusters", .. cluster.VClusterEndpoints.SelectMany(e => (string[])["--vcluster-endpoint", e])];

        var dump = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. dumpArgs, "--format", "json"]);
        var live = await ChasiProcess.RunAsync(NoEnvironment, ct, ["analyze", .. liveArgs, "--format", "json"]);

        Assert.True(dump.ExitCode == 1, dump.StdErr);
        Assert.True(live.ExitCode == 1, $"exit {live.ExitCode}: {live.StdErr}\n{live.StdOut}");
        using var dumpJson = JsonDocument.Parse(dump.StdOut);
        using var liveJson = JsonDocument.Parse(live.StdOut);
        Assert.Equal(Keys(dumpJson), Keys(liveJson));
        Assert.Equal("cluster", liveJson.RootElement.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(["host", "team-a (vcluster-team-a)"], liveJson.RootElement.GetProperty("source").GetProperty("clusters").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var (incidents, evidence) = Incidents(liveJson);
        var failures = ScenarioJudge.Judge(cluster.Scenario.Expect!, incidents, i => evidence[i.Id]);
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + ScenarioJudge.Describe(incidents));
    }

    [Fact]
    public async Task Analyze_UnreachableCluster_ExitsTwoNamingTheServer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var directory = temp.Path;
        string kubeconfig;
        Uri address;
        await using (var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "gone" }, ct))
        {
            kubeconfig = simulator.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
            address = simulator.BaseAddress;
        }

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "analyze", "--kubeconfig", kubeconfig);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains($"cluster {address}", stderr, StringComparison.Ordinal);
        Assert.Contains("cannot be listed", stderr, StringComparison.Ordinal);
    }

    private static string[] Keys(JsonDocument json) =>
        [.. json.RootElement.GetProperty("incidents").EnumerateArray()
            .Select(i => $"{i.GetProperty("category").GetString()} {i.GetProperty("layer").GetString()} {Subject(i.GetProperty("subject"))}")
            .Order(StringComparer.Ordinal)];

    private static string Subject(JsonElement subject) =>
        $"{subject.GetProperty("cluster").GetString()}/{subject.GetProperty("kind").GetString()}/{(subject.TryGetProperty("namespace", out var ns) ? ns.GetString() : "")}/{subject.GetProperty("name").GetString()}";

    /// <summary>The printed incidents as the judge reads them (category, layer, subject, related), with their evidence packs.</summary>
    private static (List<Incident> Incidents, Dictionary<string, string> Evidence) Incidents(JsonDocument json)
    {
        var incidents = new List<Incident>();
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in json.RootElement.GetProperty("incidents").EnumerateArray())
        {
            var incident = new Incident
            {
                Id = element.GetProperty("id").GetString()!,
                Category = element.GetProperty("category").GetString(),
                Layer = element.GetProperty("layer").GetString() switch
                {
                    "host" => Layer.Host,
                    "virtual" => Layer.Virtual,
                    "business" => Layer.Business,
                    _ => Layer.Unspecified,
                },
                Subject = Reference(element.GetProperty("subject")),
                Summary = element.GetProperty("summary").GetString(),
            };
            incident.Affected.AddRange(element.GetProperty("related").EnumerateArray().Select(Reference));
            incidents.Add(incident);
            evidence[incident.Id] = element.GetProperty("evidence").GetString()!;
        }

        return (incidents, evidence);
    }

    private static ObjectRef Reference(JsonElement subject) => new()
    {
        Cluster = subject.GetProperty("cluster").GetString(),
        Kind = subject.GetProperty("kind").GetString(),
        Namespace = subject.TryGetProperty("namespace", out var ns) ? ns.GetString() : "",
        Name = subject.GetProperty("name").GetString(),
    };

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chasi-analyze-{Guid.NewGuid():N}");

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
