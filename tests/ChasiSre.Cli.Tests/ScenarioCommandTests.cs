using System.Text.Json;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary><c>chasi scenario run</c> as a user runs it: the built binary, the embedded Kafka, the Streamiz topology.</summary>
public sealed class ScenarioCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Run_SharedExamples_PrintsFormatJsonWithEveryExpectationPassing()
    {
        var examples = Path.GetDirectoryName(SharedExamples.Example("crashloop-missing-env"))!;

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "scenario", "run", examples, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((3, 3, 0), (summary.GetProperty("scenarios").GetInt32(), summary.GetProperty("passed").GetInt32(), summary.GetProperty("failed").GetInt32()));
        var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["crashloop-missing-env", "host-quota-rejects-twin", "node-disk-pressure-evictions"], scenarios.Keys.Order(StringComparer.Ordinal).ToArray());

        var crashloop = scenarios["crashloop-missing-env"];
        var incident = Assert.Single(crashloop.GetProperty("incidents").EnumerateArray());
        Assert.StartsWith("inc-", incident.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("CrashLoop", incident.GetProperty("category").GetString());
        Assert.Equal("virtual", incident.GetProperty("layer").GetString());
        Assert.Equal("high", incident.GetProperty("severity").GetString());
        var subject = incident.GetProperty("subject");
        Assert.Equal(("team-a", "Deployment", "shop", "checkout"), (subject.GetProperty("cluster").GetString(), subject.GetProperty("kind").GetString(), subject.GetProperty("namespace").GetString(), subject.GetProperty("name").GetString()));
        Assert.Contains(incident.GetProperty("related").EnumerateArray(), r => r.GetProperty("kind").GetString() == "Pod" && r.GetProperty("cluster").GetString() == "team-a");
        // The evidence is the pack the diagnosis gives the LLM, within its token budget.
        Assert.Contains("DEPLOY_ENV", incident.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.InRange(incident.GetProperty("evidenceTokens").GetInt32(), 1, 1500);
        Assert.False(string.IsNullOrWhiteSpace(incident.GetProperty("summary").GetString()));
        // Without an LLM configured the diagnosis is rule-based, names the decisive log line and cites a runbook.
        var diagnosis = incident.GetProperty("diagnosis");
        Assert.Equal("deterministic", diagnosis.GetProperty("provider").GetString());
        Assert.Contains("DEPLOY_ENV is not set", diagnosis.GetProperty("rootCause").GetString(), StringComparison.Ordinal);
        Assert.Equal("virtual", diagnosis.GetProperty("layer").GetString());
        Assert.Equal(1, diagnosis.GetProperty("llmCalls").GetInt32());
        Assert.Contains(diagnosis.GetProperty("citations").EnumerateArray(), c => c.GetString()!.StartsWith("kb:runbooks/crashloop-backoff.md#", StringComparison.Ordinal));
        Assert.NotEmpty(diagnosis.GetProperty("remediation").EnumerateArray());
        var expectations = crashloop.GetProperty("expectations");
        Assert.Equal(3, expectations.GetProperty("passed").GetInt32());
        Assert.Equal(0, expectations.GetProperty("failed").GetInt32());

        // A cluster-scoped subject has no namespace.
        var node = scenarios["node-disk-pressure-evictions"].GetProperty("incidents")[0].GetProperty("subject");
        Assert.False(node.TryGetProperty("namespace", out _));
    }

    [Fact]
    public async Task Run_PublicCorpus_EveryScenarioPassesWithinItsNoiseBudget()
    {
        var corpus = Path.Combine(AppContext.BaseDirectory, "scenarios");

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "scenario", "run", corpus, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var failures = json.RootElement.GetProperty("scenarios").EnumerateArray()
            .Where(s => s.GetProperty("expectations").GetProperty("failed").GetInt32() > 0)
            .Select(s => $"{s.GetProperty("name").GetString()}: {string.Join("; ", s.GetProperty("expectations").GetProperty("failures").EnumerateArray().Select(f => f.GetString()))}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(json.RootElement.GetProperty("summary").GetProperty("scenarios").GetInt32() >= 60);
        var tokens = json.RootElement.GetProperty("scenarios").EnumerateArray()
            .SelectMany(s => s.GetProperty("incidents").EnumerateArray()).Select(i => i.GetProperty("evidenceTokens").GetInt32()).Order().ToList();
        Assert.True(tokens[tokens.Count / 2] <= 1500, $"median evidence tokens {tokens[tokens.Count / 2]}");
    }

    [Fact]
    public async Task Run_ExpectationThatDoesNotHold_ExitsZeroAndReportsTheFailure()
    {
        var directory = CopyExample("crashloop-missing-env");
        var file = Path.Combine(directory, "scenario.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Replace("category: CrashLoop", "category: OOMKilled", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "scenario", "run", directory, "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("failed").GetInt32());
        var expectations = json.RootElement.GetProperty("scenarios")[0].GetProperty("expectations");
        Assert.Equal(1, expectations.GetProperty("failed").GetInt32());
        Assert.Contains("expected OOMKilled", expectations.GetProperty("failures")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidScenario_ExitsTwoNamingFileAndLine()
    {
        var directory = CopyExample("crashloop-missing-env");
        var file = Path.Combine(directory, "scenario.yaml");
        var lines = (await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken)).ToList();
        var at = lines.FindIndex(l => l.StartsWith("startTime:", StringComparison.Ordinal));
        lines[at] = "startTime: not-a-time";
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "scenario", "run", directory, "--format", "json");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains($"{file}:{at + 1}:", stderr, StringComparison.Ordinal);
    }

    private static string CopyExample(string name)
    {
        var source = SharedExamples.Example(name);
        var target = Path.Combine(Path.GetTempPath(), $"chasi-scenario-{Guid.NewGuid():N}", name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
