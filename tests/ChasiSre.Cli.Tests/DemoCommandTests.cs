using System.Diagnostics;
using System.Text.Json;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.TestKit;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi demo</c>, the README's main command. One test runs it as a newcomer would: a fresh clone of the committed
/// repository, <c>./chasi demo --format json</c> (which builds the CLI from scratch), every shared example judged.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string temp = Directory.CreateTempSubdirectory("chasi-demo-").FullName;

    private static string ExamplesDirectory => Path.GetDirectoryName(SharedExamples.Example("crashloop-missing-env"))!;

    /// <summary>Checks the demo's JSON: every shared example passed, each expected incident has a diagnosis citing a runbook.</summary>
    private static void AssertExamplesDiagnosed(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
        var examples = Directory.EnumerateDirectories(ExamplesDirectory).Select(d => ScenarioLoader.Load(d)).ToList();
        Assert.Equal(examples.Count, scenarios.Count);
        foreach (var example in examples)
        {
            var output = Assert.Single(scenarios, s => s.GetProperty("name").GetString() == example.Name);
            Assert.Equal(0, output.GetProperty("expectations").GetProperty("failed").GetInt32());
            var incidents = output.GetProperty("incidents").EnumerateArray().ToList();
            foreach (var expected in example.Expect!.Incidents)
            {
                var matching = incidents.Where(i => i.GetProperty("category").GetString() == expected.Category).ToList();
                Assert.NotEmpty(matching);
                Assert.All(matching, incident =>
                {
                    var diagnosis = incident.GetProperty("diagnosis");
                    Assert.False(string.IsNullOrWhiteSpace(diagnosis.GetProperty("rootCause").GetString()));
                    Assert.NotEmpty(diagnosis.GetProperty("citations").EnumerateArray());
                });
            }
        }

        Assert.Equal(0, json.RootElement.GetProperty("summary").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Demo_SharedExamplesAsJson_EveryExpectedIncidentDiagnosedAndStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Path.Combine(temp, "store");

        var (exit, stdout, stderr) = await ChasiProcess.RunAsync(NoEnvironment, ct, "demo", "--scenario", ExamplesDirectory, "--format", "json", "--data-dir", store);

        Assert.True(exit == 0, stderr);
        AssertExamplesDiagnosed(stdout);
        Assert.Contains($"records in {store}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_MissingScenarioDirectory_ExitsTwo()
    {
        var (exit, _, stderr) = await ChasiProcess.RunAsync(NoEnvironment, TestContext.Current.CancellationToken, "demo", "--scenario", Path.Combine(temp, "nowhere"));

        Assert.Equal(2, exit);
        Assert.Contains("no such directory", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_FreshCloneOfTheCommittedRepository_ReadmeCommandDiagnosesEveryExample()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RepositoryRoot();
        var clone = Path.Combine(temp, "clone");
        var (cloned, _, cloneError) = await RunAsync("git", temp, ct, "clone", "--quiet", "--depth", "1", "file://" + repository, clone);
        Assert.True(cloned == 0, cloneError);

        // The README's main command, with the shared examples as its scenarios and JSON out; ./chasi builds everything.
        var (exit, stdout, stderr) = await RunAsync(Path.Combine(clone, "chasi"), clone, ct, "demo", "--scenario", ExamplesDirectory, "--format", "json", "--no-store");

        Assert.True(exit == 0, stderr);
        AssertExamplesDiagnosed(stdout);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChasiSre.sln")) && Path.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no git checkout of ChasiSre above {AppContext.BaseDirectory}");
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string file, string directory, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 20 minutes");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(temp, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file of the clone; the OS cleans temp.
        }
    }
}
