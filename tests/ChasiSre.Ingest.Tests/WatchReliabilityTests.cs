using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Schemas;

namespace ChasiSre.Ingest.Tests;

/// <summary>
/// Issue [B]'s reliability acceptance: whatever the API server does (drop a watch, answer 410,
/// restart, throttle), the object state in Kafka ends equal to the simulator's: nothing lost,
/// nothing stale, no deleted object left behind.
/// </summary>
public sealed class WatchReliabilityTests
{
    private static readonly KubeResource[] Checked = [KubeResources.Pods, KubeResources.ConfigMaps, KubeResources.Secrets, new("", "v1", "namespaces", "Namespace", false)];

    [Fact]
    public async Task Watch_DroppedWatchWithChangesInBetween_KafkaMatchesSimulator()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 30);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);

        simulator.Faults.DropWatches();
        Mutate(simulator, round: 1);

        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
        Assert.Equal(1, watch.Watchers.Single(w => w.Resource == KubeResources.Pods).Relists);
    }

    [Fact]
    public async Task RequestResync_WithoutInterrupt_RelistsEverythingWhenTheServerEndsTheWatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 30);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
        var pods = watch.Watchers.Single(w => w.Resource == KubeResources.Pods);
        var podRecords = await PodRecordsAsync(harness);
        var watches = simulator.Requests.Count(SimulatorVerb.Watch);

        pods.RequestResync(interruptWatch: false);
        simulator.Apply(Pod("shop", "web-0", "Failed"));
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
        Assert.Equal(1, pods.Relists); // the open watch carried the change: nothing was cut
        Assert.Equal(watches, simulator.Requests.Count(SimulatorVerb.Watch));

        simulator.Faults.EndWatches();

        await IngestHarness.WaitUntilAsync(() => pods.Relists == 2, "the relist after the watch ended", ct);
        await harness.Sink.FlushAsync(ct);
        Assert.True(await PodRecordsAsync(harness) >= podRecords + 1 + 30, "the relist republishes every pod, not only the changed one");
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
    }

    [Fact]
    public async Task Watch_Gone410AfterCompaction_RelistsAndPublishesDeletions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 30);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);

        // Changes happen while the watch is down, then etcd compacts past the watcher's resourceVersion.
        simulator.Faults.FailNext(1000, 503, match: r => r.Verb == SimulatorVerb.Watch);
        simulator.Faults.DropWatches();
        Mutate(simulator, round: 1);
        simulator.Compact();
        simulator.Faults.Clear();

        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
        Assert.True(watch.Watchers.Single(w => w.Resource == KubeResources.Pods).Relists >= 2, "a 410 must relist");
    }

    [Fact]
    public async Task Watch_ApiServerRestart_ResumesWithoutLosingChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 30);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);

        await simulator.RestartAsync(ct);
        Mutate(simulator, round: 1);

        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
    }

    [Fact]
    public async Task Watch_429StormWithRetryAfter_WaitsAndConverges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 30);
        simulator.Faults.FailNext(60, 429, TimeSpan.FromMilliseconds(100), r => r.Verb == SimulatorVerb.List);
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());

        // Any list made while the storm lasts fails, so every watcher synced means the storm was ridden out.
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list through the storm", ct, seconds: 40);
        Assert.Equal(0, simulator.Faults.PendingFailures);

        simulator.Faults.FailNext(60, 429, TimeSpan.FromMilliseconds(100), r => r.Verb is SimulatorVerb.List or SimulatorVerb.Watch);
        simulator.Faults.DropWatches();
        Mutate(simulator, round: 1);

        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);
    }

    [Fact]
    public async Task Watch_Secrets_ValuesNeverReachAnyTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        Seed(simulator, pods: 2);
        const string password = "correct-horse-battery-staple";
        simulator.Apply(Secret("shop", "db", password, "seed"));
        var watch = harness.Watch(simulator, IngestHarness.FastOptions());
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);
        simulator.Apply(Secret("shop", "db", password, "rotated"));
        await harness.AssertConvergesAsync(simulator, "host", Checked, ct);

        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        var all = new List<Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>>();
        foreach (var topic in TopicCatalog.All)
        {
            all.AddRange(await harness.ReadAllAsync(topic));
        }

        Assert.Contains(all, r => r.Topic == TopicCatalog.Objects.Name && Encoding.UTF8.GetString(r.Message.Key!).EndsWith("/core/Secret/shop/db", StringComparison.Ordinal));
        foreach (var record in all)
        {
            var bytes = Encoding.UTF8.GetString(record.Message.Value ?? []) + string.Join("", record.Message.Headers.Select(h => Encoding.UTF8.GetString(h.GetValueBytes() ?? [])));
            Assert.DoesNotContain(password, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(base64, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain("rotated-token", bytes, StringComparison.Ordinal);
        }
    }

    private static async Task<int> PodRecordsAsync(IngestHarness harness) =>
        (await harness.ReadAllAsync(TopicCatalog.Objects)).Count(r => Encoding.UTF8.GetString(r.Message.Key!).Contains("/core/Pod/", StringComparison.Ordinal));

    internal static void Seed(ApiServerSimulator simulator, int pods)
    {
        simulator.Apply(Namespace("shop"));
        for (var i = 0; i < pods; i++)
        {
            simulator.Apply(Pod("shop", $"web-{i}", "Running"));
        }

        simulator.Apply(ConfigMap("shop", "app", "v1"));
    }

    private static void Mutate(ApiServerSimulator simulator, int round)
    {
        for (var i = 0; i < 10; i++)
        {
            simulator.Delete("v1", "Pod", "shop", $"web-{i}");
        }

        for (var i = 10; i < 20; i++)
        {
            simulator.Apply(Pod("shop", $"web-{i}", "Failed"));
        }

        for (var i = 0; i < 5; i++)
        {
            simulator.Apply(Pod("shop", $"new-{round}-{i}", "Pending"));
        }

        simulator.Apply(ConfigMap("shop", "app", $"v{round + 1}"));
        simulator.Apply(Namespace($"tenant-{round}"));
    }

    internal static JsonObject Namespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    internal static JsonObject Pod(string ns, string name, string phase) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/web:1" }) },
        ["status"] = new JsonObject { ["phase"] = phase },
    };

    internal static JsonObject ConfigMap(string ns, string name, string version) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["VERSION"] = version },
    };

    internal static JsonObject Secret(string ns, string name, string password, string token) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["type"] = "Opaque",
        ["data"] = new JsonObject
        {
            ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
            ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{token}-token")),
        },
    };
}
