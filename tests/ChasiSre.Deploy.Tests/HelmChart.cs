using System.Text.Json.Nodes;

namespace ChasiSre.Deploy.Tests;

/// <summary>helm lint and helm template of deploy/helm/chasi-sre with the real helm binary.</summary>
internal static class HelmChart
{
    public static readonly string[] Examples = ["centralized", "distributed", "embedded"];

    public static async Task<ProcessRunner.Result> LintAsync(string example, CancellationToken cancellationToken) =>
        await ProcessRunner.RunAsync(await HelmBinary.HelmAsync(cancellationToken), ["lint", RepositoryLayout.Chart, "--strict", "-f", RepositoryLayout.Example(example)], cancellationToken);

    public static async Task<ProcessRunner.Result> TemplateRawAsync(CancellationToken cancellationToken, params string[] args) =>
        await ProcessRunner.RunAsync(await HelmBinary.HelmAsync(cancellationToken), ["template", "chasi", RepositoryLayout.Chart, "--namespace", "chasi-system", .. args], cancellationToken);

    /// <summary>Renders the chart with an example values file (and extra helm arguments); fails the test if helm does.</summary>
    public static async Task<List<JsonObject>> TemplateAsync(string example, CancellationToken cancellationToken, params string[] args)
    {
        var result = await TemplateRawAsync(cancellationToken, ["-f", RepositoryLayout.Example(example), .. args]);
        Assert.True(result.ExitCode == 0, $"helm template -f {example}.yaml failed:\n{result.StdErr}");
        return Manifests.Parse(result.StdOut);
    }
}
