using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Store.Tests;

public sealed class ClickHouseSinkTests(ChDbFixture chdb)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_RecordsOfEveryTopic_BecomeQueryableRows()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        await harness.ProduceAsync(TopicCatalog.Objects, [("o1", Records.Snapshot(1, 100)), ("o1", Records.Snapshot(1, 105)), ("o1", Records.Tombstone(1, 110)), ("o1", (ObjectRecord?)null)], ct);
        await harness.ProduceAsync(TopicCatalog.Events, Enumerable.Range(0, 5).Select(n => ($"e{n}", (KubeEvent?)Records.Event(n))), ct);
        await harness.ProduceAsync(TopicCatalog.Logs, Enumerable.Range(0, 20).Select(n => ($"l{n}", (LogRecord?)Records.Log(n))), ct);
        await harness.ProduceAsync(TopicCatalog.Signals, Enumerable.Range(0, 4).Select(n => ($"s{n}", (Signal?)Records.Signal(n))), ct);
        await harness.ProduceAsync(TopicCatalog.Incidents, [("inc-1", Records.Incident("inc-1", 1, IncidentState.Open)), ("inc-1", Records.Incident("inc-1", 2, IncidentState.Resolved))], ct);
        await harness.ProduceAsync(TopicCatalog.Diagnoses, [("inc-1", (Diagnosis?)Records.Diagnosis("inc-1", 2))], ct);
        await harness.ProduceAsync(
            TopicCatalog.Actions,
            [("act-1", (ActionRecord?)Records.Action("act-1", ActionPhase.Proposed, 1)), ("act-1", Records.Action("act-1", ActionPhase.PendingApproval, 2))],
            ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink();
        var run = sink.RunAsync(cts.Token);
        await harness.WaitForRowsAsync("objects", 3, ct);
        await harness.WaitForRowsAsync("k8s_events", 5, ct);
        await harness.WaitForRowsAsync("logs", 20, ct);
        await harness.WaitForRowsAsync("signals", 4, ct);
        await harness.WaitForRowsAsync("incidents", 1, ct);
        await harness.WaitForRowsAsync("diagnoses", 1, ct);
        await harness.WaitForRowsAsync("actions", 2, ct);
        await cts.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);

        var actions = await chdb.Store.QueryAsync(
            $"SELECT phase, action_type, tenant, cluster, layer, kind, name, policy, JSONExtractString(payload, 'diff') AS diff FROM {harness.Database}.actions FINAL ORDER BY ts", ct);
        Assert.Equal(["PROPOSED", "PENDING_APPROVAL"], actions.Select(r => r.Get<string>("phase")));
        Assert.All(actions, r => Assert.Equal(("rollout-restart", "acme", "vc-acme", "VIRTUAL", "Deployment", "web"),
            (r.Get<string>("action_type"), r.Get<string>("tenant"), r.Get<string>("cluster"), r.Get<string>("layer"), r.Get<string>("kind"), r.Get<string>("name"))));
        Assert.Equal(("", "approval-by-default"), (actions[0].Get<string>("policy"), actions[1].Get<string>("policy")));
        Assert.Equal("-  replicas: 1\n+  replicas: 2", actions[1].Get<string>("diff"));

        var objects = await chdb.Store.QueryAsync(
            $"SELECT resource_version, deleted, tenant, host_cluster, host_namespace, cluster, layer, twin_cluster, twin_name, labels['app'] AS app FROM {harness.Database}.objects FINAL ORDER BY resource_version", ct);
        Assert.Equal([100ul, 105ul, 110ul], objects.Select(r => r.Get<ulong>("resource_version")));
        Assert.Equal([false, false, true], objects.Select(r => r.Get<bool>("deleted")));
        Assert.All(objects, r => Assert.Equal(("acme", "host-1", "vc-acme-ns", "vc-acme", "VIRTUAL", "host-1", "web-1-x-shop-x-vc-acme"),
            (r.Get<string>("tenant"), r.Get<string>("host_cluster"), r.Get<string>("host_namespace"), r.Get<string>("cluster"), r.Get<string>("layer"), r.Get<string>("twin_cluster"), r.Get<string>("twin_name"))));
        Assert.Equal("web", objects[0].Get<string>("app"));

        var incident = Assert.Single(await chdb.Store.QueryAsync($"SELECT version, status, summary, tenants, category FROM {harness.Database}.incidents FINAL", ct));
        Assert.Equal(2ul, incident.Get<ulong>("version"));
        Assert.Equal("RESOLVED", incident.Get<string>("status"));
        Assert.Equal("revision 2", incident.Get<string>("summary"));
        Assert.Equal("CrashLoop", incident.Get<string>("category"));

        var signal = (await chdb.Store.QueryAsync($"SELECT severity, category, host_namespace, ts FROM {harness.Database}.signals FINAL WHERE signal_id = 'signal-2'", ct))[0];
        Assert.Equal(("CRITICAL", "CrashLoop", "vc-acme-ns"), (signal.Get<string>("severity"), signal.Get<string>("category"), signal.Get<string>("host_namespace")));
        Assert.Equal(Records.At.AddSeconds(32).UtcDateTime, signal.Get<DateTime>("ts"));

        var log = (await chdb.Store.QueryAsync($"SELECT severity, message, name FROM {harness.Database}.logs FINAL WHERE id = 'log-9'", ct))[0];
        Assert.Equal(("ERROR", "line 9", "web-2"), (log.Get<string>("severity"), log.Get<string>("message"), log.Get<string>("name")));

        var diagnosis = (await chdb.Store.QueryAsync($"SELECT version, explanation, knowledge_refs FROM {harness.Database}.diagnoses FINAL", ct))[0];
        Assert.Equal(2ul, diagnosis.Get<ulong>("version"));
        Assert.Equal("explained at 2", diagnosis.Get<string>("explanation"));
        Assert.Equal(0, sink.DeadLettered);
    }

    [Fact]
    public async Task RunAsync_RecordsReplayedAndRedelivered_LeaveNoDuplicateAfterFinal()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        var logs = Enumerable.Range(0, 300).Select(n => ($"l{n}", (LogRecord?)Records.Log(n))).ToList();
        var events = Enumerable.Range(0, 50).Select(n => ($"e{n}", (KubeEvent?)Records.Event(n))).ToList();

        // Redelivery: the producer sent every record twice.
        await harness.ProduceAsync(TopicCatalog.Logs, logs.Concat(logs), ct);
        await harness.ProduceAsync(TopicCatalog.Events, events.Concat(events), ct);
        await harness.ProduceAsync(TopicCatalog.Incidents, [("inc-1", Records.Incident("inc-1", 3, IncidentState.Open)), ("inc-1", Records.Incident("inc-1", 1, IncidentState.Open))], ct);
        await RunUntilAsync(harness.Sink(groupId: "first"), 600 + 100 + 2, ct);

        // Replay: a second group reads the topics again from the beginning.
        await RunUntilAsync(harness.Sink(groupId: "replay"), 600 + 100 + 2, ct);

        Assert.True(await harness.CountAsync("logs", final: false, ct) >= 600, "the replays were written again (deduplication is ClickHouse's, not skipped reads)");
        Assert.Equal(300ul, await harness.CountAsync("logs", final: true, ct));
        Assert.Equal(50ul, await harness.CountAsync("k8s_events", final: true, ct));
        var incident = Assert.Single(await chdb.Store.QueryAsync($"SELECT version FROM {harness.Database}.incidents FINAL", ct));
        Assert.Equal(3ul, incident.Get<ulong>("version"));
    }

    [Fact]
    public async Task RunAsync_InsertFailsMidStream_RetriesWithNothingLost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        var store = new FailingStore(chdb.Store, 2, 3);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink(store, maxBatchRows: 100, maxBatchDelay: TimeSpan.FromMilliseconds(100));
        var run = sink.RunAsync(cts.Token);
        for (var wave = 0; wave < 5; wave++)
        {
            await harness.ProduceAsync(TopicCatalog.Logs, Enumerable.Range(wave * 200, 200).Select(n => ($"l{n}", (LogRecord?)Records.Log(n))), ct);
            await Task.Delay(150, ct);
        }

        await harness.WaitForRowsAsync("logs", 1000, ct);
        await cts.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);

        Assert.Equal(2, store.Failures);
        Assert.Equal(1000ul, await harness.CountAsync("logs", final: true, ct));
        Assert.Equal(0, sink.DeadLettered);
        Assert.Empty(harness.DeadLetters());
    }

    [Fact]
    public async Task RunAsync_ManyRecords_WritesThemInBatches()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        await harness.ProduceAsync(TopicCatalog.Logs, Enumerable.Range(0, 5000).Select(n => ($"l{n}", (LogRecord?)Records.Log(n))), ct);
        var store = new FailingStore(chdb.Store);

        await RunUntilAsync(harness.Sink(store, maxBatchRows: 2000, maxBatchDelay: TimeSpan.FromSeconds(1)), 5000, ct);

        Assert.Equal(5000ul, await harness.CountAsync("logs", final: true, ct));
        Assert.InRange(store.Inserts, 3, 30);
    }

    [Fact]
    public async Task RunAsync_Stopped_CommitsEveryWrittenRecordPromptly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        using var traffic = new SinkTraffic(harness.Factory);
        const int total = 100;
        traffic.SendRange(0, total);
        await traffic.FlushAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink(maxBatchDelay: TimeSpan.FromMilliseconds(100));
        var run = sink.RunAsync(cts.Token);
        foreach (var table in SinkTraffic.Tables)
        {
            await harness.WaitForRowsAsync(table, total, ct);
        }

        var stopping = TimeProvider.System.GetTimestamp();
        await cts.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);
        var stopped = TimeProvider.System.GetElapsedTime(stopping);

        var partitions = SinkHarness.Partitions(SinkTraffic.Topics);
        var ends = await harness.EndOffsetsAsync(partitions, ct);
        var committed = await harness.CommittedAsync(TopicCatalog.Components.Sink, partitions, ct);
        Assert.All(partitions, p => Assert.True(ends[p] == committed[p], $"{p}: committed {committed[p]}, end {ends[p]}"));
        // One consumer group per topic: no member waits for the others' departures to commit (in one shared
        // group, this stop took 5 to 15 s and could leave offsets uncommitted).
        Assert.True(stopped < TimeSpan.FromSeconds(3), $"stopping took {stopped}");
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped in {stopped.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task RunAsync_UnmappableRecords_GoToTheDeadLetterTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = await SinkHarness.StartAsync(chdb, ct);
        var noId = Records.Signal(1);
        noId.Id = "";
        var opaqueVersion = Records.Snapshot(1, 5);
        opaqueVersion.Snapshot.ResourceVersion = "abc";
        await harness.ProduceAsync(TopicCatalog.Signals, [("s0", Records.Signal(0)), ("s1", noId), ("s2", Records.Signal(2))], ct);
        await harness.ProduceAsync(TopicCatalog.Objects, [("o1", opaqueVersion), ("o2", Records.Snapshot(2, 7))], ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = harness.Sink();
        var run = sink.RunAsync(cts.Token);

        await harness.WaitForRowsAsync("signals", 2, ct);
        await harness.WaitForRowsAsync("objects", 1, ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sink.DeadLettered < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        await cts.CancelAsync();
        await run.WaitAsync(StopTimeout, ct);

        var letters = harness.DeadLetters();
        Assert.Equal(2, letters.Count);
        var rejectedBy = new Dictionary<string, string> { [TopicCatalog.Signals.Name] = "clickhouse-sink.signals", [TopicCatalog.Objects.Name] = "clickhouse-sink.objects" };
        Assert.All(letters, l => Assert.Equal((DeadLetterKinds.Handler, nameof(UnmappableRecordException), rejectedBy[l.OriginalTopic]), (l.ErrorKind, l.ErrorType, l.RejectedBy)));
        Assert.Equal([TopicCatalog.Objects.Name, TopicCatalog.Signals.Name], letters.Select(l => l.OriginalTopic).Order(StringComparer.Ordinal));
        Assert.Equal(2ul, await harness.CountAsync("signals", final: true, ct));
        Assert.Equal(1ul, await harness.CountAsync("objects", final: true, ct));
    }

    /// <summary>Runs <paramref name="sink"/> until it handled <paramref name="records"/> records, then stops it.</summary>
    private static async Task RunUntilAsync(ClickHouseSink sink, long records, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = sink.RunAsync(cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (sink.Handled < records && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(100, cancellationToken);
        }

        await cts.CancelAsync();
        await run.WaitAsync(StopTimeout, cancellationToken);
        Assert.Equal(records, sink.Handled);
    }
}
