using System.Text.Json.Nodes;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// The chart's CRDs (crds/) with the real kubectl against the simulator: applied, established and served (discovery,
/// REST, short names, the status subresource), custom resources validated against the schemas, deletion cascading.
/// </summary>
public sealed class CrdTests
{
    private static string Crds => Path.Combine(RepositoryLayout.Chart, "crds");

    [Fact]
    public async Task Apply_Crds_AreEstablishedAndServeTheirKinds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kube = await KubectlAgainstSimulator.StartAsync(ct);

        var applied = await kube.RunAsync(null, ["apply", "-f", Crds], ct);
        Assert.True(applied.ExitCode == 0, applied.StdErr);
        var waited = await kube.RunAsync(null, ["wait", "--for", "condition=Established", "--timeout", "20s", "crd/sreagents.chasi.io", "crd/knowledgesources.chasi.io", "crd/actionpolicies.chasi.io"], ct);
        Assert.True(waited.ExitCode == 0, waited.StdErr);

        var resources = await kube.RunAsync(null, ["api-resources", "--api-group", "chasi.io", "-o", "name"], ct);
        Assert.Equal(["actionpolicies.chasi.io", "knowledgesources.chasi.io", "sreagents.chasi.io"], resources.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        foreach (var crd in kube.Cluster.List("apiextensions.k8s.io/v1", "CustomResourceDefinition"))
        {
            var version = crd["spec"]!["versions"]![0]!;
            Assert.NotNull(version["subresources"]?["status"]);
            Assert.Contains(version["additionalPrinterColumns"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "Ready");
            Assert.Equal("object", version["schema"]!["openAPIV3Schema"]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Apply_ExamplePolicyThenABrokenOne_AcceptsTheFirstAndRefusesTheSecondWithTheSchemaReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kube = await KubectlAgainstSimulator.StartAsync(ct);
        Assert.Equal(0, (await kube.RunAsync(null, ["apply", "-f", Crds], ct)).ExitCode);
        var example = Path.Combine(RepositoryLayout.Root, "executor", "ChasiSre.Executor", "examples", "policy.yaml");

        var good = await kube.RunAsync(null, ["apply", "-f", example], ct);
        var listed = await kube.RunAsync(null, ["get", "ap", "production", "-o", "jsonpath={.spec.rules[*].name}"], ct);
        var text = await File.ReadAllTextAsync(example, ct);
        var broken = await kube.RunAsync(text.Replace("decision: auto", "decision: yolo", StringComparison.Ordinal), ["apply", "-f", "-"], ct);
        var typo = await kube.RunAsync(text.Replace("maxRisk: low", "maxRisk: low\n      maxrisk: high", StringComparison.Ordinal), ["apply", "-f", "-"], ct);

        Assert.True(good.ExitCode == 0, good.StdErr);
        Assert.Equal("no-actions-in-kube-system tenant-low-risk-auto staging-restarts-auto host-nodes-with-approval business-runbooks-with-approval", listed.StdOut);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("spec.rules[1].decision: Unsupported value: \"yolo\": supported values: \"auto\", \"approval\", \"deny\"", broken.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, typo.ExitCode);
        Assert.Contains("unknown field \"spec.rules[1].match.maxrisk\"", typo.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Crd_DeletesItsResourcesAndStopsServingTheKind()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kube = await KubectlAgainstSimulator.StartAsync(ct);
        Assert.Equal(0, (await kube.RunAsync(null, ["apply", "-f", Crds], ct)).ExitCode);
        const string Source = "apiVersion: chasi.io/v1alpha1\nkind: KnowledgeSource\nmetadata:\n  name: runbooks\nspec:\n  tenant: shop\n  configMap:\n    name: shop-runbooks\n";
        Assert.Equal(0, (await kube.RunAsync(Source, ["apply", "-f", "-"], ct)).ExitCode);
        var status = await kube.RunAsync("{\"status\":{\"documents\":3}}", ["patch", "ks", "runbooks", "--subresource", "status", "--type", "merge", "--patch-file", "/dev/stdin"], ct);
        Assert.True(status.ExitCode == 0, status.StdErr);
        Assert.Equal(3, kube.Cluster.Get("chasi.io/v1alpha1", "KnowledgeSource", "chasi-system", "runbooks")!["status"]!["documents"]!.GetValue<int>());

        var deleted = await kube.RunAsync(null, ["delete", "crd", "knowledgesources.chasi.io"], ct);
        var after = await kube.RunAsync(null, ["get", "knowledgesources"], ct);

        Assert.True(deleted.ExitCode == 0, deleted.StdErr);
        Assert.NotEqual(0, after.ExitCode);
        // kubectl's discovery cache still names the kind; the server no longer serves it.
        Assert.Contains("Unable to list \"chasi.io/v1alpha1, Resource=knowledgesources\": the server could not find the requested resource", after.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(kube.Cluster.Resources.All, t => t.Kind == "KnowledgeSource");
    }
}
