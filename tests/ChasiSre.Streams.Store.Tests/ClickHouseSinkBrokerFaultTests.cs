using System.Globalization;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using Confluent.Kafka;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>
/// The sink on a three-broker embedded cluster (librdkafka's mock cluster) while a broker goes down and
/// comes back: the producers keep producing, the sink keeps running, and afterwards every record is in
/// ClickHouse exactly once after <c>FINAL</c> and the committed offsets of the sink's groups say so.
/// </summary>
public sealed class ClickHouseSinkBrokerFaultTests(ChDbFixture chdb)
{
    /// <summary>The broker taken down: it coordinates the sink's consumer groups and leads partitions the sink reads.</summary>
    private const int FaultyBroker = 1;

    private static readonly string Group = TopicCatalog.Components.Sink;
    private static readonly IReadOnlyDictionary<string, string> Groups = ClickHouseSink.ConsumerGroups(Group);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The consumers' session timeout on the embedded cluster.</summary>
    private static readonly TimeSpan SessionTimeout =
        TimeSpan.FromMilliseconds(int.Parse(EmbeddedKafkaCluster.ConsumerProperties["session.timeout.ms"], CultureInfo.InvariantCulture));

    [Fact]
    public async Task RunAsync_LeaderAndCoordinatorDownMidStream_WritesEveryRecordOnceAndCommitsOnlyWhatIsWritten()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        var ct = timeout.Token;
        using var harness = await SinkHarness.StartAsync(chdb, ct, brokers: 3);

        // Partition p of every topic is led by broker p + 1: the outage stops a third of the stream, and the coordinator of every group.
        foreach (var topic in SinkTraffic.Topics)
        {
            for (var p = 0; p < SinkHarness.PartitionsPerTopic; p++)
            {
                harness.Kafka.SetPartitionLeader(topic.Name, p, p + 1);
            }
        }

        foreach (var group in Groups.Values)
        {
            harness.Kafka.SetGroupCoordinator(group, FaultyBroker);
        }

        using var traffic = new SinkTraffic(harness.Factory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink(maxBatchRows: 200, maxBatchDelay: TimeSpan.FromMilliseconds(100));
        var run = sink.RunAsync(stop.Token);
        using var stopSending = new CancellationTokenSource();
        var producing = traffic.SendUntilAsync(0, perPause: 10, pause: TimeSpan.FromMilliseconds(50), stopSending.Token, ct);

        // Mid-stream: rows are arriving while the producers keep going.
        await WaitUntilAsync(async () => await harness.CountAsync("logs", final: true, ct) >= 50, "the first rows reach ClickHouse", ct);
        harness.Kafka.SetBrokerDown(FaultyBroker);
        var firstDuringOutage = RecordNumbersSent(traffic) + 1;
        await WaitUntilAsync(() => Task.FromResult(RecordNumbersSent(traffic) >= firstDuringOutage + 100), "records are produced during the outage", ct);

        // What the healthy brokers lead is acknowledged and written meanwhile; broker 1's share waits in the producers.
        var acknowledgedDuringOutage = traffic.AcknowledgedOf(TopicCatalog.Logs).Where(a => a.Key >= firstDuringOutage).ToList();
        Assert.NotEmpty(acknowledgedDuringOutage);
        Assert.DoesNotContain(acknowledgedDuringOutage, a => a.Value == 0);
        Assert.True(traffic.Acknowledged < traffic.Sent, "records for the partitions of the broker that is down wait in the producers");
        var ids = string.Join(',', acknowledgedDuringOutage.Select(a => $"'log-{a.Key}'"));
        await WaitUntilAsync(
            async () => await harness.CountAsync("logs", final: true, ct, $"id IN ({ids})") == (ulong)acknowledgedDuringOutage.Count,
            "the records acknowledged by the healthy brokers during the outage are written during the outage",
            ct);
        Assert.False(run.IsCompleted, "the sink keeps running while the broker is down");

        // Back up: the producers deliver what they buffered and go on for a while, then stop.
        harness.Kafka.SetBrokerUp(FaultyBroker);
        var firstAfterOutage = RecordNumbersSent(traffic);
        await WaitUntilAsync(() => Task.FromResult(RecordNumbersSent(traffic) >= firstAfterOutage + 100), "records are produced after the outage", ct);
        await stopSending.CancelAsync();
        var total = await producing;
        await traffic.FlushAsync(ct);
        Assert.Empty(traffic.Failures);
        Assert.Equal(traffic.Sent, traffic.Acknowledged);
        foreach (var table in SinkTraffic.Tables)
        {
            await harness.WaitForRowsAsync(table, (ulong)total, ct);
        }

        Assert.False(run.IsCompleted, "the sink recovered by itself, without a restart");
        await stop.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);
        Assert.Equal(0, sink.DeadLettered);
        await AssertEveryRecordOnceAsync(harness, traffic, total, ct);
    }

    [Fact]
    public async Task RunAsync_BrokerDownWithInsertsInFlight_CommitFailsAndRedeliveredRecordsDeduplicate()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        var ct = timeout.Token;

        // Auto-commit every 200 ms: an offset stored too early would be committed at once.
        using var harness = await SinkHarness.StartAsync(chdb, ct, brokers: 3, o => o.ConsumerProperties["auto.commit.interval.ms"] = "200");
        foreach (var topic in SinkTraffic.Topics)
        {
            for (var p = 0; p < SinkHarness.PartitionsPerTopic; p++)
            {
                harness.Kafka.SetPartitionLeader(topic.Name, p, FaultyBroker);
            }
        }

        foreach (var group in Groups.Values)
        {
            harness.Kafka.SetGroupCoordinator(group, FaultyBroker);
        }

        using var traffic = new SinkTraffic(harness.Factory);
        const int total = 200;
        traffic.SendRange(0, total);
        await traffic.FlushAsync(ct);
        Assert.Equal(traffic.Sent, traffic.Acknowledged);
        var records = traffic.Sent;

        var store = new GatedStore(chdb.Store, closed: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink(store, maxBatchRows: 10_000, maxBatchDelay: TimeSpan.FromMilliseconds(200));
        var run = sink.RunAsync(stop.Token);
        await WaitUntilAsync(() => Task.FromResult(store.Held >= SinkTraffic.Tables.Count), "every table has an insert in flight", ct);

        // Five auto-commit intervals with every insert in flight: nothing is in ClickHouse, so nothing may be committed.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var partitions = SinkHarness.Partitions(SinkTraffic.Topics);
        var committed = await harness.CommittedAsync(Group, partitions, ct);
        Assert.All(partitions, p => Assert.Equal(Offset.Unset.Value, committed[p]));

        // The broker goes down with the inserts in flight; they complete and their records' offsets are stored,
        // but no commit can reach the coordinator.
        harness.Kafka.SetBrokerDown(FaultyBroker);
        var heldRows = store.HeldRows;
        store.Open();
        await WaitUntilAsync(() => Task.FromResult(store.RowsInserted >= heldRows && sink.Handled >= heldRows), "the inserts in flight complete during the outage", ct);

        // Down for longer than the session timeout: the coordinator expires the sink's members, and the offsets
        // they stored since their last commit (none) are lost with their partitions.
        await Task.Delay(SessionTimeout + TimeSpan.FromSeconds(2), ct);
        Assert.False(run.IsCompleted, "the sink keeps running while the broker is down");
        var firstPass = store.RowsInserted;
        harness.Kafka.SetBrokerUp(FaultyBroker);

        // The members rejoin and read again from the committed offsets: everything written so far comes again.
        await WaitUntilAsync(() => Task.FromResult(store.RowsInserted >= firstPass + records), "the uncommitted records are delivered and written again", ct);
        foreach (var table in SinkTraffic.Tables)
        {
            await harness.WaitForRowsAsync(table, (ulong)total, ct);
        }

        Assert.False(run.IsCompleted, "the sink recovered by itself, without a restart");
        await stop.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);
        Assert.Equal(0, sink.DeadLettered);
        Assert.True(firstPass >= heldRows && heldRows > 0, $"{heldRows} rows were in flight when the broker went down, {firstPass} written before it came back");
        await AssertEveryRecordOnceAsync(harness, traffic, total, ct);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileCoordinatorDown_StopsAndTheNextInstanceRewritesOnlyDuplicates()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        var ct = timeout.Token;
        using var harness = await SinkHarness.StartAsync(chdb, ct, brokers: 3);

        // Brokers 2 and 3 lead every partition: only the coordinator goes down.
        foreach (var topic in SinkTraffic.Topics)
        {
            for (var p = 0; p < SinkHarness.PartitionsPerTopic; p++)
            {
                harness.Kafka.SetPartitionLeader(topic.Name, p, 2 + (p % 2));
            }
        }

        foreach (var group in Groups.Values)
        {
            harness.Kafka.SetGroupCoordinator(group, FaultyBroker);
        }

        using var traffic = new SinkTraffic(harness.Factory);
        const int total = 100;
        traffic.SendRange(0, total);
        await traffic.FlushAsync(ct);
        var records = traffic.Sent;

        // Every insert waits until the coordinator is down: the offsets to commit exist only during the outage.
        var store = new GatedStore(chdb.Store, closed: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink(store, maxBatchDelay: TimeSpan.FromMilliseconds(100));
        var run = sink.RunAsync(stop.Token);
        await WaitUntilAsync(() => Task.FromResult(store.Held >= SinkTraffic.Tables.Count), "every table has an insert in flight", ct);
        harness.Kafka.SetBrokerDown(FaultyBroker);
        store.Open();
        await WaitUntilAsync(() => Task.FromResult(sink.Handled >= records), "every record is written during the outage", ct);

        // Stopping: the final commit cannot reach the coordinator, and the sink still stops in bounded time.
        var stopping = TimeProvider.System.GetTimestamp();
        await stop.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);
        var stopped = TimeProvider.System.GetElapsedTime(stopping);
        harness.Kafka.SetBrokerUp(FaultyBroker);
        var committed = await harness.CommittedAsync(Group, SinkHarness.Partitions(SinkTraffic.Topics), ct);
        Assert.All(committed, c => Assert.Equal(Offset.Unset.Value, c.Value));

        // The next instance gets every record again; the tables deduplicate them.
        var next = new GatedStore(chdb.Store);
        var nextSink = harness.Sink(next, maxBatchDelay: TimeSpan.FromMilliseconds(100));
        using var stopNext = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var nextRun = nextSink.RunAsync(stopNext.Token);
        await WaitUntilAsync(() => Task.FromResult(nextSink.Handled >= records || nextRun.IsCompleted), "the next instance handles every record again", ct);
        await stopNext.CancelAsync();
        await nextRun.WaitAsync(StopTimeout, ct);
        Assert.Equal(records, nextSink.Handled);
        Assert.Equal(records, next.RowsInserted);
        foreach (var table in SinkTraffic.Tables)
        {
            Assert.Equal((ulong)total, await harness.CountAsync(table, final: true, ct));
        }

        await AssertCommittedToTheEndAsync(harness, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped in {stopped.TotalMilliseconds:F0} ms with the coordinator down");
    }

    private static int RecordNumbersSent(SinkTraffic traffic) => (int)(traffic.Sent / SinkTraffic.Topics.Count);

    /// <summary>The sink's groups committed exactly up to the end of every partition the sink reads.</summary>
    // Every produced record is in every table exactly once after dedup, every offset is committed, and a second
    // instance in the same groups writes nothing again.
    private async Task AssertEveryRecordOnceAsync(SinkHarness harness, SinkTraffic traffic, int total, CancellationToken ct)
    {
        foreach (var table in SinkTraffic.Tables)
        {
            Assert.Equal((ulong)total, await harness.CountAsync(table, final: true, ct));
        }

        await AssertCommittedToTheEndAsync(harness, ct);
        await AssertNothingComesAgainAsync(harness, traffic, total, ct);
    }

    private static async Task AssertCommittedToTheEndAsync(SinkHarness harness, CancellationToken cancellationToken)
    {
        var partitions = SinkHarness.Partitions(SinkTraffic.Topics);
        var ends = await harness.EndOffsetsAsync(partitions, cancellationToken);
        var committed = await harness.CommittedAsync(Group, partitions, cancellationToken);
        Assert.All(partitions, p => Assert.True(ends[p] == committed[p], $"{p}: committed {committed[p]}, end {ends[p]}"));
    }

    /// <summary>
    /// A second sink instance in the same groups, after one new record per partition: it handles and inserts
    /// those records and nothing else (an uncommitted record would come before them in its partition).
    /// </summary>
    private async Task AssertNothingComesAgainAsync(SinkHarness harness, SinkTraffic traffic, int total, CancellationToken cancellationToken)
    {
        for (var p = 0; p < SinkHarness.PartitionsPerTopic; p++)
        {
            traffic.Send(total + p, partition: p);
        }

        await traffic.FlushAsync(cancellationToken);
        Assert.Empty(traffic.Failures);
        var expected = SinkHarness.PartitionsPerTopic * SinkTraffic.Topics.Count;
        var store = new GatedStore(chdb.Store);
        var sink = harness.Sink(store, maxBatchDelay: TimeSpan.FromMilliseconds(100));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = sink.RunAsync(stop.Token);
        await WaitUntilAsync(() => Task.FromResult(sink.Handled >= expected || run.IsCompleted), "the second instance handles the new records", cancellationToken);
        await stop.CancelAsync();
        await run.WaitAsync(StopTimeout, cancellationToken);

        Assert.Equal(expected, sink.Handled);
        Assert.Equal(expected, store.RowsInserted);
        foreach (var table in SinkTraffic.Tables)
        {
            Assert.Equal((ulong)(total + SinkHarness.PartitionsPerTopic), await harness.CountAsync(table, final: true, cancellationToken));
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after a bounded time.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(60 * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
