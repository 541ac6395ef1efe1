using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Tests;

/// <summary>vCluster discovery against a host simulator and a vCluster simulator, publishing to real Kafka.</summary>
public sealed class VClusterDiscoveryTests
{
    private const string HostNamespace = "vcluster-team-a";
    private static readonly KubeResource[] Checked = [KubeResources.Pods, KubeResources.ConfigMaps];

    [Fact]
    public async Task Discovery_VClusterAppears_WatchesItUnderItsOwnIdentity()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(ct);

        await IngestHarness.WaitUntilAsync(() => setup.Discovery.Clusters.Count == 1 && setup.Discovery.Clusters[0].Synced, "the vCluster watch", ct);
        await setup.Harness.AssertConvergesAsync(setup.Virtual, "team-a", Checked, ct);

        var state = await setup.Harness.ObjectStateAsync();
        var pod = state.Values.Single(s => s.Ref.Cluster == "team-a" && s.Ref.Kind == "Pod" && s.Ref.Name == "checkout-0");
        Assert.Equal(Layer.Virtual, pod.Ref.Layer);
        Assert.Equal("team-a", pod.Ref.Tenant);
        Assert.Equal(HostNamespace, pod.Ref.HostNamespace);
        Assert.Equal("host", pod.Ref.HostCluster);
        Assert.Equal("checkout-0-x-shop-x-team-a", pod.Ref.Twin.Name);
        var hostObjects = state.Values.Where(s => s.Ref.Cluster == "host" && s.Ref.Namespace == HostNamespace).ToList();
        Assert.All(hostObjects, s => Assert.Equal("team-a", s.Ref.Tenant));
        Assert.StartsWith($"host/{HostNamespace}/team-a/", state.Single(kv => kv.Value == pod).Key, StringComparison.Ordinal);

        // vc-config-<name> (the vcluster.yaml secret) matches vc-* but is no vCluster: it must not drop the tenant mapping.
        var configSecret = KubeconfigSecret("ignored");
        configSecret["metadata"]!["name"] = "vc-config-team-a";
        configSecret["metadata"]!.AsObject().Remove("labels");
        setup.Host.Apply(configSecret);
        var after = WatchReliabilityTests.ConfigMap(HostNamespace, "after-config-secret", "v1");
        setup.Host.Apply(after);
        await setup.Harness.AssertConvergesAsync(setup.Host, "host", [KubeResources.ConfigMaps, KubeResources.Secrets], ct);
        Assert.Equal("team-a", (await setup.Harness.ObjectStateAsync()).Values.Single(s => s.Ref.Name == "after-config-secret").Ref.Tenant);
    }

    [Fact]
    public async Task Discovery_VClusterDisappears_StopsWatchersAndTombstonesItsObjects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(ct);
        await IngestHarness.WaitUntilAsync(() => setup.Discovery.Clusters.Count == 1 && setup.Discovery.Clusters[0].Synced, "the vCluster watch", ct);
        await setup.Harness.AssertConvergesAsync(setup.Virtual, "team-a", Checked, ct);
        var requestsBefore = setup.Virtual.Requests.Total;

        setup.Host.Delete("apps/v1", "StatefulSet", HostNamespace, "team-a");
        setup.Host.Delete("v1", "Secret", HostNamespace, "vc-team-a");

        await IngestHarness.WaitUntilAsync(() => setup.Discovery.Clusters.Count == 0, "the vCluster watch to stop", ct);
        var state = await setup.Harness.ObjectStateAsync();
        Assert.DoesNotContain(state.Values, s => s.Ref.Cluster == "team-a");
        setup.Virtual.Apply(WatchReliabilityTests.Pod("shop", "after-delete", "Running"));
        await Task.Delay(500, ct);
        Assert.InRange(setup.Virtual.Requests.Total - requestsBefore, 0, 2);
    }

    [Fact]
    public async Task Discovery_SecretRotates_ReconnectsWithNewCredentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(ct, token: "token-1");
        await IngestHarness.WaitUntilAsync(() => setup.Discovery.Clusters.Count == 1 && setup.Discovery.Clusters[0].Synced, "the vCluster watch", ct);

        // The vCluster now accepts only the new token; open watches are cut, as after a real rotation.
        setup.Virtual.Faults.AcceptedBearerTokens = new HashSet<string>(["token-2"]);
        setup.Virtual.Faults.DropWatches();
        setup.Virtual.Apply(WatchReliabilityTests.Pod("shop", "during-rotation", "Running"));
        setup.Host.Apply(KubeconfigSecret("token-2"));

        await setup.Harness.AssertConvergesAsync(setup.Virtual, "team-a", Checked, ct);
        Assert.Single(setup.Discovery.Clusters);
        Assert.Contains((await setup.Harness.ObjectStateAsync()).Values, s => s.Ref.Cluster == "team-a" && s.Ref.Name == "during-rotation");
    }

    [Fact]
    public async Task Discovery_UnreachableVCluster_BecomesSignalAndClearsWhenBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(ct, failVirtual: true);

        await WaitForSignalAsync(setup.Harness, active: true, ct);
        setup.Virtual.Faults.Clear();
        await WaitForSignalAsync(setup.Harness, active: false, ct);
        await setup.Harness.AssertConvergesAsync(setup.Virtual, "team-a", Checked, ct);
    }

    [Fact]
    public async Task Discovery_PausedVCluster_IsNotWatched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var setup = await Setup.StartAsync(ct, paused: true);
        await IngestHarness.WaitUntilAsync(() => setup.HostWatch.Synced, "the host list", ct);
        await Task.Delay(1500, ct);

        Assert.Empty(setup.Discovery.Clusters);
        Assert.Equal(0, setup.Virtual.Requests.Total);
    }

    private static async Task WaitForSignalAsync(IngestHarness harness, bool active, CancellationToken ct)
    {
        var serde = new ProtobufSerde<Signal>();
        for (var i = 0; i < 100; i++)
        {
            var signals = (await harness.ReadAllAsync(TopicCatalog.Alerts))
                .Select(r => serde.Deserialize(r.Message.Value, false, default)!)
                .ToList();
            if (signals.LastOrDefault() is { } last && last.Active == active)
            {
                Assert.Equal("VClusterUnreachable", last.Reason);
                Assert.Equal(VClusterDiscovery.UnreachableDetector, last.Detector);
                Assert.Equal("StatefulSet", last.Subject.Kind);
                Assert.Equal(HostNamespace, last.Subject.Namespace);
                Assert.Equal("team-a", last.Attributes["vcluster"]);
                return;
            }

            await Task.Delay(200, ct);
        }

        Assert.Fail($"no signal with active={active}");
    }

    private static JsonObject KubeconfigSecret(string token)
    {
        var kubeconfig = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: my-vcluster
              cluster:
                server: https://localhost:8443
            contexts:
            - name: my-vcluster
              context: {cluster: my-vcluster, user: my-vcluster}
            current-context: my-vcluster
            users:
            - name: my-vcluster
              user: {token: {{token}}}
            """;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "vc-team-a",
                ["namespace"] = HostNamespace,
                ["labels"] = new JsonObject { ["app"] = "vcluster", ["vcluster-name"] = "team-a" },
            },
            ["data"] = new JsonObject
            {
                ["config"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)),
                ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)),
            },
        };
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private Task? discovering;

        private Setup(IngestHarness harness) => Harness = harness;

        public IngestHarness Harness { get; }

        public ApiServerSimulator Host { get; private set; } = null!;

        public ApiServerSimulator Virtual { get; private set; } = null!;

        public VClusterDiscovery Discovery { get; private set; } = null!;

        public ClusterWatch HostWatch { get; private set; } = null!;

        public static async Task<Setup> StartAsync(CancellationToken ct, string token = "token-1", bool failVirtual = false, bool paused = false)
        {
            var setup = new Setup(IngestHarness.Start());
            setup.Virtual = await setup.Harness.SimulatorAsync("team-a", ct);
            setup.Virtual.Faults.AcceptedBearerTokens = new HashSet<string>([token]);
            WatchReliabilityTests.Seed(setup.Virtual, pods: 0);
            setup.Virtual.Apply(WatchReliabilityTests.Pod("shop", "checkout-0", "Running"));
            if (failVirtual)
            {
                setup.Virtual.Faults.FailNext(100_000, 503);
            }

            setup.Host = await setup.Harness.SimulatorAsync("host", ct);
            setup.Host.Apply(WatchReliabilityTests.Namespace(HostNamespace));
            var statefulSet = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "StatefulSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "team-a",
                    ["namespace"] = HostNamespace,
                    ["labels"] = new JsonObject { ["app"] = "vcluster", ["release"] = "team-a" },
                    ["annotations"] = paused ? new JsonObject { ["loft.sh/paused"] = "true" } : new JsonObject(),
                },
                ["spec"] = new JsonObject { ["replicas"] = 1, ["serviceName"] = "team-a-headless" },
            };
            setup.Host.Apply(statefulSet);
            setup.Host.Apply(KubeconfigSecret(token));

            var options = IngestHarness.FastOptions();
            options.VClusterEndpoints[$"{HostNamespace}/team-a"] = setup.Virtual.BaseAddress.ToString();
            var tenants = new TenantResolver(null);
            setup.Discovery = new VClusterDiscovery(ClusterIdentity.Host("host"), setup.Harness.Sink, tenants, options, TimeProvider.System, NullLoggerFactory.Instance);
            setup.discovering = setup.Discovery.RunAsync(setup.stop.Token);
            setup.HostWatch = setup.Harness.Watch(setup.Host, options, tenants: tenants, observer: setup.Discovery.ObserveAsync);
            return setup;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
#pragma warning disable VSTHRD003 // Started by StartAsync on this object.
            await discovering!;
#pragma warning restore VSTHRD003
            await Discovery.DisposeAsync();
            await Harness.DisposeAsync();
            stop.Dispose();
        }
    }
}
