using ChasiSre.Ingest.Simulator;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// What the chart renders goes through the real <c>kubectl apply --dry-run=server</c> against the API server simulator:
/// discovery, the OpenAPI handshake, a GET per object, then a dry-run create for each, with the simulator checking names,
/// namespaces, kinds and (for custom resources) the CRD schemas. Strimzi's KafkaTopic is served as the Strimzi operator's
/// CRD would serve it.
/// </summary>
public sealed class ServerDryRunTests
{
    public static TheoryData<string, string[]> Renders => new()
    {
        { "centralized", [] },
        { "distributed", [] },
        { "embedded", [] },
        { "centralized", ["--set", "operator.enabled=true", "--set", "grafana.datasource.enabled=true", "--set", "grafana.dashboards.enabled=true"] },
    };

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task ApplyDryRunServer_RenderedChart_IsAcceptedForEveryObject(string example, string[] extra)
    {
        var ct = TestContext.Current.CancellationToken;
        var render = await HelmChart.TemplateRawAsync(ct, ["-f", RepositoryLayout.Example(example), "--include-crds", .. extra]);
        Assert.True(render.ExitCode == 0, render.StdErr);
        var objects = Manifests.Parse(render.StdOut);
        await using var kube = await KubectlAgainstSimulator.StartAsync(ct);
        kube.Cluster.Resources.RegisterCustomResource(KnownCustomResources.StrimziKafkaTopic);

        var result = await kube.RunAsync(render.StdOut, ["apply", "--dry-run=server", "-f", "-"], ct);

        Assert.True(result.ExitCode == 0, $"kubectl apply --dry-run=server refused {example} {string.Join(' ', extra)}:\n{result.StdErr}\n{result.StdOut}");
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(objects.Count, lines.Length);
        Assert.All(lines, l => Assert.EndsWith("(server dry run)", l, StringComparison.Ordinal));
        // A dry run stores nothing.
        Assert.Empty(kube.Cluster.List("apps/v1", "Deployment"));
        Assert.Empty(kube.Cluster.List("apiextensions.k8s.io/v1", "CustomResourceDefinition"));
    }

    [Fact]
    public async Task ApplyDryRunServer_BrokenManifest_IsRefusedWithTheServersReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var render = await HelmChart.TemplateRawAsync(ct, "-f", RepositoryLayout.Example("distributed"));
        Assert.True(render.ExitCode == 0, render.StdErr);
        await using var kube = await KubectlAgainstSimulator.StartAsync(ct);
        var broken = render.StdOut.Replace("name: chasi-chasi-sre-ingest\n", "name: Chasi_Ingest\n", StringComparison.Ordinal);
        Assert.NotEqual(render.StdOut, broken);

        var result = await kube.RunAsync(broken, ["apply", "--dry-run=server", "-f", "-"], ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("\"Chasi_Ingest\" is invalid: metadata.name: Invalid value: \"Chasi_Ingest\": a lowercase RFC 1123 subdomain", result.StdErr, StringComparison.Ordinal);
    }
}
