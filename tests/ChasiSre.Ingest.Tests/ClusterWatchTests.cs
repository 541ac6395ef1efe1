using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Ingest.Tests;

/// <summary>What a cluster watch publishes for objects at the record size limit.</summary>
public sealed class ClusterWatchTests
{
    private const int MaxRecordBytes = 64 * 1024;

    [Fact]
    public async Task Publish_SnapshotOverLimitThoughItsJsonIsUnder_PublishedWithoutJsonAndDeadLettered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = IngestHarness.Start();
        var simulator = await harness.SimulatorAsync("host", ct);
        simulator.Apply(WatchReliabilityTests.Namespace("shop"));
        var annotated = WatchReliabilityTests.Pod("shop", "annotated", "Running");
        var annotations = new JsonObject();
        for (var i = 0; i < 20; i++)
        {
            annotations[$"example.com/note-{i}"] = new string('x', 2000);
        }

        annotated["metadata"]!["annotations"] = annotations;
        simulator.Apply(annotated);
        simulator.Apply(WatchReliabilityTests.Pod("shop", "plain", "Running"));

        // The JSON alone fits; with its annotations copied into the snapshot's map, the record does not.
        Assert.InRange(simulator.Get("v1", "Pod", "shop", "annotated")!.ToJsonString().Length, 40_000, MaxRecordBytes - 1);
        var options = IngestHarness.FastOptions();
        options.MaxRecordBytes = MaxRecordBytes;
        var watch = harness.Watch(simulator, options);
        await IngestHarness.WaitUntilAsync(() => watch.Synced, "the first list", ct);

        var state = await harness.ObjectStateAsync();
        var published = state["host/core/Pod/shop/annotated"];
        Assert.True(published.ObjectJsonOmitted);
        Assert.True(published.ObjectJson.IsEmpty);
        Assert.Equal(20, published.Annotations.Count);
        Assert.False(state["host/core/Pod/shop/plain"].ObjectJsonOmitted);
        var letters = (await harness.ReadAllAsync(TopicCatalog.DeadLetters)).Select(r => DeadLetter.Parser.ParseFrom(r.Message.Value)).ToList();
        var letter = Assert.Single(letters);
        Assert.Equal(DeadLetterKinds.Oversized, letter.ErrorKind);
        Assert.EndsWith("/shop/annotated", letter.OriginalKey.ToStringUtf8(), StringComparison.Ordinal);
        Assert.True(letter.OriginalValueDropped);
    }
}
