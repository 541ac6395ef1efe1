using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Operator.Tests;

public sealed class OperatorControllerTests
{
    private const string Ns = "chasi-system";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExecuteAsync_TwoReplicas_OneLeadsThroughTheLeaseAndTheOtherTakesOverWhenItStops()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new OperatorOptions
        {
            LeaseNamespace = Ns,
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
            ResyncInterval = TimeSpan.FromHours(1),
        };
        await using var world = await OperatorWorld.StartAsync(ct, options: options);
        var a = Controller(world, options, "replica-a");
        var b = Controller(world, options, "replica-b");
        await a.StartAsync(ct);
        await b.StartAsync(ct);
        try
        {
            await Until(() => a.IsLeader || b.IsLeader, "a leader", ct);
            var (leader, follower) = a.IsLeader ? (a, b) : (b, a);
            Assert.False(follower.IsLeader);
            var lease = world.Get("coordination.k8s.io/v1", "Lease", Ns, options.LeaseName)!;
            Assert.Equal(leader.Identity, lease["spec"]!["holderIdentity"]!.GetValue<string>());

            // The leader sees a new SreAgent through its watch and reconciles it.
            await world.CreateAsync(ChasiResources.SreAgentKind, Ns, "prod", Agents.Centralized("sink"), ct);
            await Until(() => Ready(world, ChasiResources.SreAgentKind, "prod"), "the SreAgent reconciled by the leader", ct);
            Assert.NotNull(world.Get("apps/v1", "Deployment", Ns, "prod-sink"));

            // The leader stops; once its Lease expires the follower takes over and reconciles what comes next.
            await leader.StopAsync(ct);
            await Until(() => follower.IsLeader, "the follower to take over", ct);
            Assert.Equal(follower.Identity, world.Get("coordination.k8s.io/v1", "Lease", Ns, options.LeaseName)!["spec"]!["holderIdentity"]!.GetValue<string>());
            await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "team", new JsonObject { ["defaults"] = new JsonObject { ["decision"] = "deny" } }, ct);
            await Until(() => Ready(world, ChasiResources.ActionPolicyKind, "team"), "the ActionPolicy reconciled by the new leader", ct);
            Assert.NotNull(world.Get("v1", "ConfigMap", Ns, options.PolicyConfigMap)!["data"]!["team.yaml"]);
        }
        finally
        {
            await a.StopAsync(CancellationToken.None);
            await b.StopAsync(CancellationToken.None);
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task ExecuteAsync_ResourceStatusWritten_DoesNotReconcileAgainUntilTheSpecChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new OperatorOptions { LeaseNamespace = Ns, RetryPeriod = TimeSpan.FromMilliseconds(200), ResyncInterval = TimeSpan.FromHours(1) };
        await using var world = await OperatorWorld.StartAsync(ct, options: options);
        using var controller = Controller(world, options, "only");
        await controller.StartAsync(ct);
        try
        {
            await world.CreateAsync(ChasiResources.ActionPolicyKind, Ns, "team", new JsonObject { ["defaults"] = new JsonObject { ["decision"] = "deny" } }, ct);
            await Until(() => Ready(world, ChasiResources.ActionPolicyKind, "team"), "the first reconcile", ct);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var settled = controller.Reconciled;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            Assert.Equal(settled, controller.Reconciled);

            var policy = world.Resource(ChasiResources.ActionPolicyKind, Ns, "team");
            policy["spec"]!["defaults"]!["decision"] = "approval";
            world.Host.Apply(policy);
            await Until(() => world.Resource(ChasiResources.ActionPolicyKind, Ns, "team")["status"]?["observedGeneration"]?.GetValue<long>() == 2, "the spec change reconciled", ct);
            Assert.Contains("decision: approval", world.Get("v1", "ConfigMap", Ns, options.PolicyConfigMap)!["data"]!["team.yaml"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await controller.StopAsync(CancellationToken.None);
        }
    }

    private static OperatorController Controller(OperatorWorld world, OperatorOptions options, string identity)
    {
        var own = new OperatorOptions
        {
            Identity = identity,
            LeaseNamespace = options.LeaseNamespace,
            LeaseName = options.LeaseName,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
            ResyncInterval = options.ResyncInterval,
        };
        return new OperatorController(world.Client, world.Reconciler, Options.Create(own), TimeProvider.System, NullLogger<OperatorController>.Instance);
    }

    private static bool Ready(OperatorWorld world, string kind, string name) =>
        world.Host.Get(ChasiResources.ApiVersion, kind, Ns, name) is { } resource
        && OperatorWorld.Condition(resource, "Ready")?["status"]?.GetValue<string>() == "True";

    private static async Task Until(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50, cancellationToken);
        }
    }
}
