using System.Collections.Concurrent;
using System.Text.Json;
using ChasiSre.Ingest.Simulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Tests;

/// <summary>
/// How a watcher hands a list over: every object once, pages requested once each (the next while
/// the current is published), long pages split between workers, and an object the output never
/// took published again by the next list.
/// </summary>
public sealed class ResourceWatcherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Relist_ManyPages_HandsEveryObjectOverOnceAndRequestsEachPageOnce(int parallelism)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host" }, ct);
        WatchReliabilityTests.Seed(simulator, pods: 250);
        using var client = new KubeApiClient(new k8s.KubernetesClientConfiguration { Host = simulator.BaseAddress.ToString() }, TimeSpan.FromSeconds(5));
        var handed = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var output = new Recorder(change =>
        {
            Assert.True(change.FromList);
            handed.AddOrUpdate(Name(change.Value), 1, (_, n) => n + 1);
        });
        var watcher = Watcher(client, output, parallelism);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = watcher.RunAsync(stop.Token);
        await IngestHarness.WaitUntilAsync(() => watcher.Synced, "the first list", ct);
        await stop.CancelAsync();
        await running.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing); // a stopped watcher may end cancelled

        Assert.Equal(250, handed.Count);
        Assert.All(handed, entry => Assert.Equal(1, entry.Value));
        Assert.Equal(2, simulator.Requests.Count(SimulatorVerb.List, "pods")); // 250 pods in pages of 128
        if (parallelism == 1)
        {
            Assert.Equal(1, output.MostAtOnce);
        }
        else
        {
            Assert.InRange(output.MostAtOnce, 2, parallelism);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Relist_OutputFailsMidList_ObjectsItDidNotTakeArePublishedByTheNextList(int parallelism)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host" }, ct);
        WatchReliabilityTests.Seed(simulator, pods: 250);
        using var client = new KubeApiClient(new k8s.KubernetesClientConfiguration { Host = simulator.BaseAddress.ToString() }, TimeSpan.FromSeconds(5));
        var taken = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var calls = 0;
        var output = new Recorder(change =>
        {
            // The 120th object handed over fails once (a publisher that broke): the list ends there.
            if (Interlocked.Increment(ref calls) == 120)
            {
                throw new IOException("the publisher broke");
            }

            taken.AddOrUpdate(Name(change.Value), 1, (_, n) => n + 1);
        });
        var watcher = Watcher(client, output, parallelism);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = watcher.RunAsync(stop.Token);
        await IngestHarness.WaitUntilAsync(() => watcher.Synced, "a list that ran to its end", ct);
        await stop.CancelAsync();
        await running.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing); // a stopped watcher may end cancelled

        Assert.Equal(2, watcher.Relists);
        Assert.Equal(250, taken.Count);
        // What the first list handed over is not handed over again: the second list only finishes the job.
        Assert.Equal(250, taken.Values.Sum());
    }

    private static ResourceWatcher Watcher(KubeApiClient client, Recorder output, int parallelism) =>
        new(
            "host",
            KubeResources.Pods,
            () => client,
            output.HandleAsync,
            new WatchSettings(128, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), parallelism),
            new ClusterHealth(TimeProvider.System),
            TimeProvider.System,
            NullLogger.Instance);

    private static string Name(JsonElement obj) => obj.GetProperty("metadata").GetProperty("name").GetString()!;

    /// <summary>An output that runs <c>handle</c>, yields so that workers overlap, and counts how many ran at once.</summary>
    private sealed class Recorder(Action<ResourceChange> handle)
    {
        private int running;
        private int mostAtOnce;

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public async ValueTask HandleAsync(ResourceChange change, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref running);
            try
            {
                int seen;
                while (now > (seen = Volatile.Read(ref mostAtOnce)) && Interlocked.CompareExchange(ref mostAtOnce, now, seen) != seen)
                {
                }

                handle(change);
                await Task.Delay(1, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
