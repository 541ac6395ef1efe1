using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Codes = ChasiSre.Executor.PolicyReasonCodes;
using RemediationCatalogNames = ChasiSre.Schemas.RemediationCatalog;

namespace ChasiSre.Executor.Tests;

/// <summary>
/// The policy table: one policy (loaded from YAML, as in production) and one row per case over every rule
/// dimension, rule order, the defaults, the freeze windows across DST changes, the blast radius, the incident
/// scope, unknown actions and bad parameters.
/// </summary>
public sealed class PolicyEvaluatorTests
{
    private const string TablePolicy = """
        apiVersion: chasi.io/v1alpha1
        kind: ActionPolicy
        metadata:
          name: table
        spec:
          limits:
            maxObjectsPerAction: 3
            maxActionsPerTenantPerHour: 5
          freezeWindows:
          - name: ny-business-hours
            schedule: "0 9 * * 1-5"
            duration: 8h
            timeZone: America/New_York
            match:
              clusters: ["ny-*"]
            decision: approval
          - name: berlin-night
            schedule: "30 2 * * *"
            duration: 1h
            timeZone: Europe/Berlin
            match:
              clusters: ["eu-*"]
          - name: year-end
            start: "2026-12-21T00:00"
            end: "2027-01-04T00:00"
            timeZone: Europe/Berlin
            match:
              tenants: ["payments"]
          rules:
          - name: deny-system
            match:
              namespaces: ["kube-system"]
            decision: deny
          - name: shop-low-auto
            match:
              tenants: ["shop", "payments"]
              layers: [virtual]
              actions: [delete-pod, rerun-job]
              maxRisk: low
            decision: auto
          - name: staging-restarts
            match:
              clusters: ["staging-*"]
              actions: ["rollout-*", scale]
              maxRisk: medium
            decision: auto
            limits:
              maxActionsPerTenantPerHour: 2
          - name: host-cordon
            match:
              layers: [host]
              actions: [cordon-node]
            decision: approval
            limits:
              maxObjectsPerAction: 1
          - name: runbooks
            match:
              layers: [business]
              actions: [execute-runbook]
            decision: approval
          - name: any-uncordon-auto
            match:
              actions: [uncordon-node]
            decision: auto
          - name: shop-configmaps
            match:
              tenants: ["shop"]
              actions: [patch-configmap]
            decision: auto
        """;

    private static readonly ActionPolicy Policy = PolicyLoader.Parse(TablePolicy, "table.yaml");

    /// <summary>A Wednesday noon in June: no freeze window applies to prod-eu.</summary>
    private static readonly DateTimeOffset Noon = new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly ActionRequest Base = new(
        RemediationCatalogNames.DeletePod,
        new ActionTarget("prod-eu", "shop", Layer.Virtual, "Pod", "web", "web-1"),
        new Dictionary<string, string>(),
        Risk.Low,
        new IncidentScope("inc-1", "prod-eu", "shop"),
        ObjectsTouched: 1,
        RecentTenantActions: 0,
        Noon);

    private static readonly Dictionary<string, PolicyCase> Cases = new()
    {
        // Rule dimensions and defaults.
        ["low-risk pod delete in shop: auto"] = new(Base, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["medium risk is over the rule's maxRisk: default approval"] = new(Base with { Risk = Risk.Medium }, ActionDecision.Approval, null, [Codes.DefaultDecision]),
        ["unspecified risk is raised to the catalog minimum, then matches"] = new(Base with { Risk = Risk.Unspecified }, ActionDecision.Auto, "shop-low-auto", [Codes.RiskRaised, Codes.Rule]),
        ["other tenant: no rule, default approval"] = new(InTenant("blog"), ActionDecision.Approval, null, [Codes.DefaultDecision]),
        ["kube-system: the first rule denies before a later one allows"] = new(Base with { Target = Base.Target with { Namespace = "kube-system" } }, ActionDecision.Deny, "deny-system", [Codes.Rule]),
        ["cluster glob staging-*: scale auto"] = new(Staging(RemediationCatalogNames.Scale, new() { ["replicas"] = "3" }), ActionDecision.Auto, "staging-restarts", [Codes.Rule]),
        ["action glob rollout-*: restart auto"] = new(Staging(RemediationCatalogNames.RolloutRestart, []), ActionDecision.Auto, "staging-restarts", [Codes.Rule]),
        ["cluster 'staging' does not match staging-*"] = new(Staging(RemediationCatalogNames.RolloutRestart, [], cluster: "staging"), ActionDecision.Approval, null, [Codes.DefaultDecision]),
        ["rerun-job matches the action list"] = new(Base with { Action = RemediationCatalogNames.RerunJob, Target = Base.Target with { Kind = "Job", Name = "import" } }, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["layer business does not match a virtual rule"] = new(Base with { Target = Base.Target with { Layer = Layer.Business } }, ActionDecision.Approval, null, [Codes.DefaultDecision]),
        ["host cordon named by a host rule: approval"] = new(Host(RemediationCatalogNames.CordonNode), ActionDecision.Approval, "host-cordon", [Codes.Rule]),
        ["host uncordon: a rule without layers never matches host, deny"] = new(Host(RemediationCatalogNames.UncordonNode), ActionDecision.Deny, null, [Codes.HostLayerDefault]),
        ["virtual uncordon: the rule without layers matches"] = new(Base with { Action = RemediationCatalogNames.UncordonNode, Target = Base.Target with { Kind = "Node", Namespace = "", Name = "vnode-1" }, Risk = Risk.High }, ActionDecision.Auto, "any-uncordon-auto", [Codes.Rule]),
        ["business runbook: approval"] = new(Runbook(new() { ["runbook"] = "orders/drain-queue" }), ActionDecision.Approval, "runbooks", [Codes.Rule]),
        ["configmap key set: auto"] = new(ConfigMap("POOL_SIZE", "20"), ActionDecision.Auto, "shop-configmaps", [Codes.Rule]),

        // Catalog and parameters.
        ["unknown action: deny"] = new(Base with { Action = "delete-namespace" }, ActionDecision.Deny, null, [Codes.UnknownAction, Codes.DefaultDecision]),
        ["delete-pod on a Deployment: deny"] = new(Base with { Target = Base.Target with { Kind = "Deployment" } }, ActionDecision.Deny, "shop-low-auto", [Codes.TargetKind, Codes.Rule]),
        ["runbook without its parameter: deny"] = new(Runbook([]), ActionDecision.Deny, "runbooks", [Codes.InvalidParameters, Codes.Rule]),
        ["negative replicas: deny"] = new(Staging(RemediationCatalogNames.Scale, new() { ["replicas"] = "-1" }), ActionDecision.Deny, "staging-restarts", [Codes.InvalidParameters, Codes.Rule]),
        ["replicas not a number: deny"] = new(Staging(RemediationCatalogNames.Scale, new() { ["replicas"] = "three" }), ActionDecision.Deny, "staging-restarts", [Codes.InvalidParameters, Codes.Rule]),
        ["replicas above the cap: deny"] = new(Staging(RemediationCatalogNames.Scale, new() { ["replicas"] = "100000" }), ActionDecision.Deny, "staging-restarts", [Codes.InvalidParameters, Codes.Rule]),
        ["parameter the action does not take: deny"] = new(Staging(RemediationCatalogNames.Scale, new() { ["replicas"] = "2", ["force"] = "true" }), ActionDecision.Deny, "staging-restarts", [Codes.InvalidParameters, Codes.Rule]),
        ["parameters on a parameterless action: deny"] = new(Base with { Parameters = new Dictionary<string, string> { ["grace"] = "0" } }, ActionDecision.Deny, "shop-low-auto", [Codes.InvalidParameters, Codes.Rule]),
        ["configmap key with spaces: deny"] = new(ConfigMap("bad key!", "1"), ActionDecision.Deny, "shop-configmaps", [Codes.InvalidParameters, Codes.Rule]),

        // The incident's scope.
        ["target in another tenant than the incident: deny whatever the rule"] = new(Base with { Incident = Base.Incident with { Tenant = "blog" } }, ActionDecision.Deny, "shop-low-auto", [Codes.OutsideIncident, Codes.Rule]),
        ["target in another cluster than the incident: deny"] = new(Base with { Target = Base.Target with { Cluster = "prod-us" } }, ActionDecision.Deny, "shop-low-auto", [Codes.OutsideIncident, Codes.Rule]),
        ["target without a layer: deny"] = new(Base with { Target = Base.Target with { Layer = Layer.Unspecified } }, ActionDecision.Deny, null, [Codes.LayerUnspecified, Codes.DefaultDecision]),
        ["every refusal is reported together"] = new(
            Base with { Action = RemediationCatalogNames.Scale, Parameters = new Dictionary<string, string>(), Incident = Base.Incident with { Tenant = "blog" }, Target = Base.Target with { Namespace = "kube-system" }, ObjectsTouched = 9 },
            ActionDecision.Deny,
            "deny-system",
            [Codes.TargetKind, Codes.InvalidParameters, Codes.RiskRaised, Codes.OutsideIncident, Codes.BlastRadiusObjects, Codes.Rule]),

        // Blast radius.
        ["objects touched over the policy limit: deny"] = new(Base with { ObjectsTouched = 4 }, ActionDecision.Deny, "shop-low-auto", [Codes.BlastRadiusObjects, Codes.Rule]),
        ["objects touched at the policy limit: auto"] = new(Base with { ObjectsTouched = 3 }, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["the rule tightens objects per action to 1: deny at 2"] = new(Host(RemediationCatalogNames.CordonNode) with { ObjectsTouched = 2 }, ActionDecision.Deny, "host-cordon", [Codes.BlastRadiusObjects, Codes.Rule]),
        ["tenant at its hourly limit: deny"] = new(Base with { RecentTenantActions = 5 }, ActionDecision.Deny, "shop-low-auto", [Codes.BlastRadiusRate, Codes.Rule]),
        ["tenant one below its hourly limit: auto"] = new(Base with { RecentTenantActions = 4 }, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["the rule tightens the hourly limit to 2: deny at 2"] = new(Staging(RemediationCatalogNames.RolloutRestart, []) with { RecentTenantActions = 2 }, ActionDecision.Deny, "staging-restarts", [Codes.BlastRadiusRate, Codes.Rule]),

        // Freeze windows, across DST changes.
        ["NY 09:30 EDT on the Monday after DST starts (13:30Z): frozen, capped at approval"] = new(InCluster("ny-1", At(2026, 3, 9, 13, 30)), ActionDecision.Approval, "shop-low-auto", [Codes.FreezeWindow, Codes.Rule]),
        ["NY 13:30Z the Monday before DST (08:30 EST): not frozen"] = new(InCluster("ny-1", At(2026, 3, 2, 13, 30)), ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["NY 21:30Z after DST (17:30 EDT): closed again"] = new(InCluster("ny-1", At(2026, 3, 9, 21, 30)), ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["NY 21:30Z before DST (16:30 EST): still frozen"] = new(InCluster("ny-1", At(2026, 3, 2, 21, 30)), ActionDecision.Approval, "shop-low-auto", [Codes.FreezeWindow, Codes.Rule]),
        ["NY on a Saturday: not frozen"] = new(InCluster("ny-1", At(2026, 3, 7, 15, 0)), ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["Berlin 02:30 does not exist on spring-forward day: the window opens at 03:00 CEST (01:00Z)"] = new(InCluster("eu-1", At(2026, 3, 29, 1, 15)), ActionDecision.Deny, "shop-low-auto", [Codes.FreezeWindow, Codes.Rule]),
        ["Berlin spring-forward day, 00:45Z (01:45 CET): before the window"] = new(InCluster("eu-1", At(2026, 3, 29, 0, 45)), ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["Berlin fall-back day, 00:45Z (02:45 CEST, first pass): frozen"] = new(InCluster("eu-1", At(2026, 10, 25, 0, 45)), ActionDecision.Deny, "shop-low-auto", [Codes.FreezeWindow, Codes.Rule]),
        ["Berlin fall-back day, 01:45Z (02:45 CET, repeated hour): the window does not open twice"] = new(InCluster("eu-1", At(2026, 10, 25, 1, 45)), ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["a freeze without layers covers host actions too"] = new(Host(RemediationCatalogNames.CordonNode, cluster: "eu-host") with { Now = At(2026, 6, 10, 0, 45) }, ActionDecision.Deny, "host-cordon", [Codes.FreezeWindow, Codes.Rule]),
        ["year-end, 00:30 CET Dec 21 (23:30Z Dec 20): payments frozen"] = new(InTenant("payments") with { Now = At(2026, 12, 20, 23, 30) }, ActionDecision.Deny, "shop-low-auto", [Codes.FreezeWindow, Codes.Rule]),
        ["year-end, 23:30 CET Dec 20 (22:30Z): not yet"] = new(InTenant("payments") with { Now = At(2026, 12, 20, 22, 30) }, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
        ["year-end does not match tenant shop"] = new(Base with { Now = At(2026, 12, 28, 12, 0) }, ActionDecision.Auto, "shop-low-auto", [Codes.Rule]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluate_TableCase_GivesDecisionRuleAndReasons(string name)
    {
        var expected = Cases[name];

        var result = PolicyEvaluator.Evaluate(Policy, expected.Request);

        var actual = $"{result.Decision} {result.Rule ?? "-"} [{string.Join(", ", result.Reasons.Select(r => r.Code))}]";
        var wanted = $"{expected.Decision} {expected.Rule ?? "-"} [{string.Join(", ", expected.Codes)}]";
        Assert.True(wanted == actual, $"{name}\nexpected: {wanted}\nactual:   {actual}\n{string.Join("\n", result.Reasons)}");
    }

    [Fact]
    public void Evaluate_Table_HasAtLeastThirtyCases() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Fact]
    public void Evaluate_DefaultPolicy_ApprovalForTenantsDenyForHost()
    {
        var tenant = PolicyEvaluator.Evaluate(ActionPolicy.Default, Base);
        var host = PolicyEvaluator.Evaluate(ActionPolicy.Default, Host(RemediationCatalogNames.CordonNode));

        Assert.Equal(ActionDecision.Approval, tenant.Decision);
        Assert.Equal(ActionDecision.Deny, host.Decision);
        Assert.Equal([Codes.HostLayerDefault], host.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Evaluate_DefaultsOverridden_HostDefaultApprovalAndTenantDefaultDeny()
    {
        var policy = ActionPolicy.Default with { Defaults = new PolicyDefaults { Decision = ActionDecision.Deny, HostLayer = ActionDecision.Approval } };

        Assert.Equal(ActionDecision.Deny, PolicyEvaluator.Evaluate(policy, Base).Decision);
        Assert.Equal(ActionDecision.Approval, PolicyEvaluator.Evaluate(policy, Host(RemediationCatalogNames.CordonNode)).Decision);
    }

    [Fact]
    public void Evaluate_RuleFromFile_ReasonNamesRuleAndItsLine()
    {
        var result = PolicyEvaluator.Evaluate(Policy, Base);

        var reason = Assert.Single(result.Reasons);
        Assert.Equal("rule 'shop-low-auto' (table.yaml:34) says auto", reason.Message);
        Assert.Equal(Risk.Low, result.EffectiveRisk);
    }

    [Fact]
    public void Evaluate_SameInputTwice_SameAnswer()
    {
        var request = InCluster("ny-1", At(2026, 3, 9, 13, 30));

        Assert.Equal(PolicyEvaluator.Evaluate(Policy, request).Reasons, PolicyEvaluator.Evaluate(Policy, request).Reasons);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static ActionRequest InTenant(string tenant) =>
        Base with { Target = Base.Target with { Tenant = tenant }, Incident = Base.Incident with { Tenant = tenant } };

    private static ActionRequest InCluster(string cluster, DateTimeOffset now) =>
        Base with { Target = Base.Target with { Cluster = cluster }, Incident = Base.Incident with { Cluster = cluster }, Now = now };

    private static ActionRequest Staging(string action, Dictionary<string, string> parameters, string cluster = "staging-1") => Base with
    {
        Action = action,
        Target = new ActionTarget(cluster, "shop", Layer.Virtual, "Deployment", "web", "web"),
        Incident = Base.Incident with { Cluster = cluster },
        Parameters = parameters,
        Risk = Risk.Medium,
    };

    private static ActionRequest Host(string action, string cluster = "host") => Base with
    {
        Action = action,
        Target = new ActionTarget(cluster, "", Layer.Host, "Node", "", "node-a"),
        Incident = new IncidentScope("inc-2", cluster, ""),
        Risk = Risk.High,
    };

    private static ActionRequest Runbook(Dictionary<string, string> parameters) => Base with
    {
        Action = RemediationCatalogNames.ExecuteRunbook,
        Target = new ActionTarget("prod-eu", "shop", Layer.Business, "BusinessAdapter", "", "orders"),
        Parameters = parameters,
        Risk = Risk.High,
    };

    private static ActionRequest ConfigMap(string key, string value) => Base with
    {
        Action = RemediationCatalogNames.PatchConfigMap,
        Target = Base.Target with { Kind = "ConfigMap", Name = "web-config" },
        Parameters = new Dictionary<string, string> { ["key"] = key, ["value"] = value },
        Risk = Risk.Medium,
    };
}
