using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChasiSre.Executor.Tests;

/// <summary>Loading policies: the example file, and malformed ones, each error with its file, line and reason.</summary>
public sealed class PolicyLoaderTests : IDisposable
{
    private const string Header = """
        apiVersion: chasi.io/v1alpha1
        kind: ActionPolicy
        metadata:
          name: test
        spec:

        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("chasi-policy-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Load_ExamplePolicy_LoadsEveryPart()
    {
        var policy = PolicyLoader.Load(Path.Combine(AppContext.BaseDirectory, "examples", "policy.yaml"));

        Assert.Equal("production", policy.Name);
        Assert.Equal(ActionDecision.Approval, policy.Defaults.Decision);
        Assert.Equal(ActionDecision.Deny, policy.Defaults.HostLayer);
        Assert.Equal(5, policy.Limits.MaxObjectsPerAction);
        Assert.Equal(10, policy.Limits.MaxActionsPerTenantPerHour);
        Assert.Equal(["weekend", "year-end"], policy.FreezeWindows.Select(w => w.Name));
        Assert.Equal(TimeSpan.FromHours(62), policy.FreezeWindows[0].Duration);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.FromHours(1)), policy.FreezeWindows[1].Start);
        Assert.Equal(["no-actions-in-kube-system", "tenant-low-risk-auto", "staging-restarts-auto", "host-nodes-with-approval", "business-runbooks-with-approval"], policy.Rules.Select(r => r.Name));
        Assert.Equal([Layer.Host], policy.Rules[3].Match.Layers);
        Assert.Equal(Risk.Low, policy.Rules[1].Match.MaxRisk);
        Assert.Equal(3, policy.Rules[2].Limits!.MaxActionsPerTenantPerHour);
        Assert.Equal("policy.yaml:39", policy.Rules[2].Source);
    }

    [Fact]
    public void Load_ExamplePolicyWeekendWindow_OpenFridayEveningToMondayMorningBerlinTime()
    {
        var weekend = PolicyLoader.Load(Path.Combine(AppContext.BaseDirectory, "examples", "policy.yaml")).FreezeWindows[0];

        Assert.False(weekend.IsActive(new DateTimeOffset(2026, 6, 12, 17, 59, 0, TimeSpan.FromHours(2))));
        Assert.True(weekend.IsActive(new DateTimeOffset(2026, 6, 12, 18, 0, 0, TimeSpan.FromHours(2))));
        Assert.True(weekend.IsActive(new DateTimeOffset(2026, 6, 15, 7, 59, 0, TimeSpan.FromHours(2))));
        Assert.False(weekend.IsActive(new DateTimeOffset(2026, 6, 15, 8, 0, 0, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData(2026, 6, 10, ActionDecision.Auto, "rule")]
    [InlineData(2026, 6, 13, ActionDecision.Approval, "freeze-window,rule")]
    public void Evaluate_ExamplePolicyStagingRestart_AutoOnWeekdaysApprovalOnWeekends(int year, int month, int day, ActionDecision decision, string codes)
    {
        var policy = PolicyLoader.Load(Path.Combine(AppContext.BaseDirectory, "examples", "policy.yaml"));
        var request = new ActionRequest(
            "rollout-restart",
            new ActionTarget("staging-1", "shop", Layer.Virtual, "Deployment", "web", "web"),
            new Dictionary<string, string>(),
            Risk.Medium,
            new IncidentScope("inc-42", "staging-1", "shop"),
            ObjectsTouched: 1,
            RecentTenantActions: 2,
            new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero));

        var result = PolicyEvaluator.Evaluate(policy, request);

        Assert.Equal(decision, result.Decision);
        Assert.Equal("staging-restarts-auto", result.Rule);
        Assert.Equal(codes, string.Join(',', result.Reasons.Select(r => r.Code)));
    }

    [Theory]
    [InlineData("rules:\n- name: a\n  decison: auto\n", 8, "unknown field 'decison' in a rule")]
    [InlineData("rules:\n- name: a\n  decision: allow\n", 8, "unknown decision 'allow' (auto, approval or deny)")]
    [InlineData("rules:\n- name: a\n  decision: auto\n  match:\n    actions: [delete-namespace]\n", 10, "'delete-namespace' matches no action of the catalog")]
    [InlineData("rules:\n- name: a\n  decision: auto\n  match:\n    layers: [cloud]\n", 10, "unknown layer 'cloud'")]
    [InlineData("rules:\n- name: a\n  decision: auto\n  match:\n    maxRisk: extreme\n", 10, "unknown risk 'extreme'")]
    [InlineData("rules:\n- name: a\n- name: a\n  decision: deny\n", 7, "'decision' is required")]
    [InlineData("rules:\n- name: a\n  decision: deny\n- name: a\n  decision: deny\n", 9, "duplicate rule name 'a'")]
    [InlineData("rules:\n- name: Not_Valid\n  decision: deny\n", 7, "'Not_Valid' is not a valid name")]
    [InlineData("limits:\n  maxObjectsPerAction: 0\n", 7, "'0' must be a whole number of at least 1")]
    [InlineData("freezeWindows:\n- name: w\n  schedule: \"0 18 * * 5\"\n  duration: 3 days\n", 9, "'3 days' is not a duration")]
    [InlineData("freezeWindows:\n- name: w\n  schedule: \"61 * * * *\"\n  duration: 1h\n", 8, "'61 * * * *' is not a five-field cron schedule")]
    [InlineData("freezeWindows:\n- name: w\n  schedule: \"0 1 * * *\"\n  duration: 1h\n  timeZone: Mars/Olympus\n", 10, "unknown time zone 'Mars/Olympus'")]
    [InlineData("freezeWindows:\n- name: w\n  start: \"2026-03-29T02:30\"\n  end: \"2026-03-30T00:00\"\n  timeZone: Europe/Berlin\n", 8, "2026-03-29T02:30 does not exist in Europe/Berlin")]
    [InlineData("freezeWindows:\n- name: w\n  start: \"2026-10-25T02:30\"\n  end: \"2026-10-26T00:00\"\n  timeZone: Europe/Berlin\n", 8, "2026-10-25T02:30 happens twice in Europe/Berlin")]
    [InlineData("freezeWindows:\n- name: w\n  start: \"2026-12-24\"\n  end: \"2026-12-20\"\n", 9, "must be after start")]
    [InlineData("freezeWindows:\n- name: w\n  start: \"2026-12-24\"\n  schedule: \"0 1 * * *\"\n", 7, "either schedule and duration (recurring) or start and end (absolute)")]
    [InlineData("freezeWindows:\n- name: w\n  schedule: \"0 1 * * *\"\n  duration: 1h\n  decision: auto\n", 10, "auto would change nothing")]
    [InlineData("rules: {name: a}\n", 6, "'rules' must be a list")]
    [InlineData("rules:\n- name: a\n  decision: [auto\n", 9, "invalid YAML")]
    public void Parse_MalformedSpec_ErrorNamesFileLineAndReason(string spec, int line, string reason)
    {
        var ex = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(Header + Indent(spec), "bad.yaml"));

        Assert.Contains(ex.Errors, e => e.File == "bad.yaml" && e.Line == line && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Contains($"bad.yaml:{line}:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1, "the file is empty")]
    [InlineData("apiVersion: chasi.io/v1alpha1\nkind: Policy\nmetadata:\n  name: a\nspec: {}\n", 2, "kind must be 'ActionPolicy' (got 'Policy')")]
    [InlineData("apiVersion: v1\nkind: ActionPolicy\nmetadata:\n  name: a\nspec: {}\n", 1, "apiVersion must be 'chasi.io/v1alpha1'")]
    [InlineData("apiVersion: chasi.io/v1alpha1\nkind: ActionPolicy\nmetadata: {}\nspec: {}\n", 3, "'name' is required")]
    [InlineData("apiVersion: chasi.io/v1alpha1\nkind: ActionPolicy\nmetadata:\n  name: a\n", 1, "'spec' is required")]
    [InlineData("apiVersion: chasi.io/v1alpha1\nkind: ActionPolicy\nmetadata:\n  name: a\nspec: {}\n---\nkind: ActionPolicy\n", 7, "more than one YAML document")]
    [InlineData("- just\n- a list\n", 1, "the policy must be a mapping")]
    public void Parse_MalformedDocument_ErrorNamesLineAndReason(string yaml, int line, string reason)
    {
        var ex = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(yaml, "bad.yaml"));

        Assert.Contains(ex.Errors, e => e.Line == line && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SeveralProblems_ReportsEveryOneWithFullPath()
    {
        var path = Path.Combine(_directory.FullName, "policy.yaml");
        File.WriteAllText(path, Header + Indent("defaults:\n  decision: maybe\nrules:\n- name: a\n  decision: auto\n  match:\n    actions: [reboot]\n    tenant: [shop]\n"));

        var ex = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Load(path));

        Assert.Equal(
            [(7, "unknown decision 'maybe'"), (12, "'reboot' matches no action"), (13, "unknown field 'tenant'")],
            ex.Errors.Select(e => (e.Line, e.Reason[..Math.Min(e.Reason.Length, ReasonPrefix(e.Reason))])).OrderBy(e => e.Line).ThenBy(e => e.Item2, StringComparer.Ordinal));
        Assert.All(ex.Errors, e => Assert.Equal(Path.GetFullPath(path), e.File));
    }

    [Fact]
    public void Parse_WindowWithOffsetTime_UsesTheOffsetNotTheZone()
    {
        var policy = PolicyLoader.Parse(Header + Indent("freezeWindows:\n- name: w\n  start: \"2026-10-25T02:30+02:00\"\n  end: \"2026-10-25T02:30+01:00\"\n  timeZone: Europe/Berlin\n"), "ok.yaml");

        var window = Assert.Single(policy.FreezeWindows);
        Assert.Equal(TimeSpan.FromHours(1), window.End - window.Start);
        Assert.True(window.IsActive(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task AddActionPolicy_ValidAndInvalidFile_LoadsOnStartOrFailsTheStart()
    {
        var ct = TestContext.Current.CancellationToken;
        var good = Path.Combine(AppContext.BaseDirectory, "examples", "policy.yaml");
        var bad = Path.Combine(_directory.FullName, "bad.yaml");
        File.WriteAllText(bad, Header + Indent("rules:\n- name: a\n  decision: sometimes\n"));

        using var goodHost = Build(good);
        await goodHost.StartAsync(ct);
        using var badHost = Build(bad);
        var ex = await Assert.ThrowsAsync<PolicyValidationException>(() => badHost.StartAsync(ct));
        await goodHost.StopAsync(ct);

        Assert.Equal("production", goodHost.Services.GetRequiredService<ActionPolicySource>().Current.Name);
        Assert.Contains($"{bad}:8:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddActionPolicy_CalledTwiceWithoutFile_OnePolicyTheSafeDefault()
    {
        var services = new ServiceCollection();
        services.AddActionPolicy();
        services.AddActionPolicy();

        using var provider = services.BuildServiceProvider();

        Assert.Same(ActionPolicy.Default, provider.GetRequiredService<ActionPolicySource>().Current);
        Assert.Single(services, d => d.ServiceType == typeof(ActionPolicySource));
        Assert.Single(services, d => d.ImplementationType == typeof(PolicyStartupCheck));
    }

    private static IHost Build(string policyFile)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new($"{ExecutorOptions.SectionName}:PolicyFile", policyFile)]);
        builder.Services.AddActionPolicy().BindConfiguration(ExecutorOptions.SectionName);
        return builder.Build();
    }

    private static string Indent(string spec) => string.Concat(spec.Split('\n').Select(l => l.Length > 0 ? "  " + l + "\n" : ""));

    private static int ReasonPrefix(string reason) => reason.StartsWith("unknown decision", StringComparison.Ordinal) ? "unknown decision 'maybe'".Length
        : reason.StartsWith("unknown field", StringComparison.Ordinal) ? "unknown field 'tenant'".Length
        : "'reboot' matches no action".Length;
}
