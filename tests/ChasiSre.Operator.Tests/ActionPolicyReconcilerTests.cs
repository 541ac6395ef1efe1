using System.Text.Json.Nodes;
using ChasiSre.Executor;
using ChasiSre.TestKit;
using k8s;
using k8s.Autorest;

namespace ChasiSre.Operator.Tests;

public sealed class ActionPolicyReconcilerTests
{
    private const string Ns = "chasi-system";

    [Fact]
    public async Task ReconcileAsync_ExamplePolicy_WritesItIntoTheExecutorConfigMapAsTheLoaderReadsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var example = YamlJson.Documents(await File.ReadAllTextAsync(RepositoryLayout.ExamplePolicy, ct)).Single();
        await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "production", example["spec"]!.DeepClone().AsObject(), ct);

        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "production", cancellationToken: ct);

        Assert.True(outcome!.Valid, outcome.ValidMessage);
        var yaml = world.Get("v1", "ConfigMap", Ns, world.Options.PolicyConfigMap)!["data"]!["production.yaml"]!.GetValue<string>();
        var loaded = PolicyLoader.Parse(yaml, "production.yaml");
        var original = PolicyLoader.Load(RepositoryLayout.ExamplePolicy);
        Assert.Equal(original.Rules.Select(r => (r.Name, r.Decision)), loaded.Rules.Select(r => (r.Name, r.Decision)));
        Assert.Equal(original.FreezeWindows.Select(w => (w.Name, w.Decision, w.Start, w.End)), loaded.FreezeWindows.Select(w => (w.Name, w.Decision, w.Start, w.End)));
        Assert.Equal(original.Limits, loaded.Limits);
        var policy = world.Resource(ChasiResources.ActionPolicyKind, Ns, "production");
        Assert.Equal(5, policy["status"]!["rules"]!.GetValue<int>());
        Assert.Equal("PolicyLoaded", OperatorWorld.Condition(policy, "Valid")!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReconcileAsync_PolicyTheLoaderRefuses_ReportsFileLineErrorsAndKeepsTheLastValidVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var spec = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject { ["name"] = "restarts", ["match"] = new JsonObject { ["actions"] = new JsonArray("rollout-restart") }, ["decision"] = "auto" }),
        };
        await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "team", spec, ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "team", cancellationToken: ct);
        var valid = world.Get("v1", "ConfigMap", Ns, world.Options.PolicyConfigMap)!["data"]!["team.yaml"]!.GetValue<string>();

        // Schema-valid, but an action the catalog does not know and a time zone that does not exist: only the loader can tell.
        var policy = world.Resource(ChasiResources.ActionPolicyKind, Ns, "team");
        policy["spec"]!["rules"]![0]!["match"]!["actions"] = new JsonArray("reboot-the-world");
        policy["spec"]!["freezeWindows"] = new JsonArray(new JsonObject { ["name"] = "night", ["schedule"] = "0 22 * * *", ["duration"] = "8h", ["timeZone"] = "Mars/Olympus" });
        world.Host.Apply(policy);
        var outcome = await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "team", cancellationToken: ct);

        Assert.False(outcome!.Valid);
        var condition = OperatorWorld.Condition(world.Resource(ChasiResources.ActionPolicyKind, Ns, "team"), "Valid")!;
        Assert.Equal("PolicyInvalid", condition["reason"]!.GetValue<string>());
        var message = condition["message"]!.GetValue<string>();
        Assert.Matches(@"actionpolicies/chasi-system/team\.yaml:\d+:\d+: unknown time zone 'Mars/Olympus'", message);
        Assert.Matches(@"actionpolicies/chasi-system/team\.yaml:\d+:\d+: 'reboot-the-world' matches no action of the catalog", message);
        Assert.Equal(valid, world.Get("v1", "ConfigMap", Ns, world.Options.PolicyConfigMap)!["data"]!["team.yaml"]!.GetValue<string>());
        Assert.Equal(2, condition["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReconcileAsync_TwoPoliciesThenOneDeleted_EachKeepsItsOwnKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var spec = new JsonObject { ["defaults"] = new JsonObject { ["decision"] = "deny" } };
        await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "a", spec.DeepClone().AsObject(), ct);
        await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "b", spec, ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "a", cancellationToken: ct);
        await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "b", cancellationToken: ct);
        var lastKnown = world.Resource(ChasiResources.ActionPolicyKind, Ns, "a");

        world.Host.Delete(ChasiResources.ApiVersion, ChasiResources.ActionPolicyKind, Ns, "a");
        await world.Reconciler.ReconcileAsync(ChasiResources.ActionPolicyKind, Ns, "a", lastKnown, ct);

        var data = world.Get("v1", "ConfigMap", Ns, world.Options.PolicyConfigMap)!["data"]!.AsObject();
        Assert.Equal(["b.yaml"], data.Select(kv => kv.Key));
    }

    /// <summary>
    /// The CRD's schema and the executor's loader agree: every example policy passes both, and each malformed variant
    /// that a schema can judge is refused by both (the apiserver, here the simulator validating against the chart's CRD
    /// with kubectl's strict field validation, and PolicyLoader).
    /// </summary>
    [Theory]
    [MemberData(nameof(Policies))]
    public async Task SchemaAndLoader_EveryPolicy_AgreeOnValidity(string name, string yaml, bool valid)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await OperatorWorld.StartAsync(ct);
        var resource = YamlJson.Documents(yaml).Single();
        resource["metadata"]!["namespace"] = Ns;

        string? schemaError = null;
        try
        {
            await world.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ChasiResources.Group, ChasiResources.Version, Ns, ChasiResources.ActionPolicies, dryRun: "All", fieldValidation: "Strict", cancellationToken: ct);
        }
        catch (HttpOperationException ex)
        {
            schemaError = ex.Response.Content;
        }

        string? loaderError = null;
        try
        {
            PolicyLoader.Parse(yaml, name + ".yaml");
        }
        catch (PolicyValidationException ex)
        {
            loaderError = ex.Message;
        }

        Assert.True(valid == (schemaError is null), $"{name}: the CRD schema {(schemaError is null ? "accepted it" : "refused it: " + schemaError)}");
        Assert.True(valid == (loaderError is null), $"{name}: the loader {(loaderError is null ? "accepted it" : "refused it: " + loaderError)}");
    }

    public static TheoryData<string, string, bool> Policies()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(RepositoryLayout.ExamplePolicy)!, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file), true);
        }

        const string Head = "apiVersion: chasi.io/v1alpha1\nkind: ActionPolicy\nmetadata:\n  name: variant\nspec:\n";
        data.Add("minimal", Head + "  rules: []\n", true);
        data.Add("absolute-window", Head + "  freezeWindows:\n  - name: year-end\n    start: \"2026-12-21T00:00\"\n    end: \"2027-01-04T00:00\"\n    timeZone: Europe/Berlin\n", true);
        data.Add("tenant-layer-alias", Head + "  rules:\n  - name: r\n    match:\n      layers: [tenant]\n    decision: approval\n", true);
        data.Add("unknown-field", Head + "  rules:\n  - name: r\n    decison: auto\n    decision: auto\n", false);
        data.Add("unknown-decision", Head + "  rules:\n  - name: r\n    decision: maybe\n", false);
        data.Add("rule-without-decision", Head + "  rules:\n  - name: r\n", false);
        data.Add("unknown-layer", Head + "  rules:\n  - name: r\n    match:\n      layers: [cloud]\n    decision: deny\n", false);
        data.Add("unknown-risk", Head + "  rules:\n  - name: r\n    match:\n      maxRisk: extreme\n    decision: deny\n", false);
        data.Add("window-both-shapes", Head + "  freezeWindows:\n  - name: w\n    schedule: \"0 1 * * *\"\n    duration: 1h\n    start: \"2026-01-01T00:00\"\n    end: \"2026-01-02T00:00\"\n", false);
        data.Add("window-no-shape", Head + "  freezeWindows:\n  - name: w\n    decision: deny\n", false);
        data.Add("window-auto", Head + "  freezeWindows:\n  - name: w\n    schedule: \"0 1 * * *\"\n    duration: 1h\n    decision: auto\n", false);
        data.Add("bad-duration", Head + "  freezeWindows:\n  - name: w\n    schedule: \"0 1 * * *\"\n    duration: 1d\n", false);
        data.Add("zero-objects", Head + "  limits:\n    maxObjectsPerAction: 0\n", false);
        data.Add("negative-rate", Head + "  limits:\n    maxActionsPerTenantPerHour: -1\n", false);
        data.Add("upper-case-name", Head + "  rules:\n  - name: Restart\n    decision: deny\n", false);
        data.Add("bad-default", Head + "  defaults:\n    hostLayer: sometimes\n", false);
        return data;
    }
}
