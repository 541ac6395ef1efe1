using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>The indexer against rows the real sink wrote into chDB, indexing into a knowledge base with the real MiniLM.</summary>
public sealed class PastIncidentIndexerTests(SourcesFixture fixture)
{
    private const string CrashQuery = "DATABASE_URL postgres-old refuses connections back-off restarting payments-api";

    [Fact]
    public async Task IndexAsync_ResolvedDiagnosedIncident_IndexesOnePrivateDocumentWithDiagnosisAndResolution()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var resolved = Records.CrashLoop("inc-crash");
        var open = Records.CrashLoop("inc-open", resolvedAfter: null);
        open.State = IncidentState.Open;
        open.ResolvedAt = null;
        var undiagnosed = Records.CrashLoop("inc-undiagnosed");
        await SinkWriter.WriteAsync(
            fixture.Store,
            clickHouse,
            [resolved, open, undiagnosed],
            [
                Records.Diagnosis(resolved, 3, "DATABASE_URL points at a decommissioned database host", ["[E1] Event BackOff x12 payments-api-7c9d-x2k4", "[E2] log: connection refused postgres-old.payments.svc:5432"], ["Point DATABASE_URL at postgres.payments.svc", "Roll out the Deployment again"], "runbooks/crashloop-backoff.md#common-causes"),
                Records.Diagnosis(open, 3, "still open", [], []),
            ],
            ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);

        var report = await indexer.IndexAsync(kb, ct);

        Assert.Equal(5, report.RowsRead);
        Assert.Equal(3, report.Incidents);
        Assert.Equal(1, report.NotResolved);
        Assert.Equal(1, report.Undiagnosed);
        var result = Assert.Single(report.Results);
        Assert.Equal(("incidents/inc-crash", IngestOutcome.Indexed), (result.Source, result.Outcome));
        var hits = await kb.SearchAsync(new KnowledgeQuery(CrashQuery, "team-a", Top: 10), ct);
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal("incidents/inc-crash", h.Chunk.SourceId));
        Assert.All(hits, h => Assert.Equal(("team-a", KnowledgeVisibility.Private), (h.Chunk.Tenant, h.Chunk.Visibility)));
        Assert.All(hits, h => Assert.Contains("CrashLoop", h.Chunk.Categories));
        var text = string.Join("\n", hits.Select(h => h.Chunk.IndexedText));
        Assert.Contains("Past incident: CrashLoop on Pod vc-team-a/payments/payments-api-7c9d-x2k4", text, StringComparison.Ordinal);
        Assert.Contains("Root cause: DATABASE_URL points at a decommissioned database host", text, StringComparison.Ordinal);
        Assert.Contains("- Point DATABASE_URL at postgres.payments.svc", text, StringComparison.Ordinal);
        Assert.Contains("- [E2] log: connection refused postgres-old.payments.svc:5432", text, StringComparison.Ordinal);
        Assert.Contains("- kb:runbooks/crashloop-backoff.md#common-causes", text, StringComparison.Ordinal);
        Assert.Contains("after 1 h 12 min open", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_RerunWithoutNewRows_ReadsNothingAndKeepsWatermarkAcrossInstances()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var incident = Records.CrashLoop("inc-rerun");
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [Records.Diagnosis(incident, 3, "bad DATABASE_URL", [], ["fix it"])], ct);
        using var state = new TempDirectory();
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var first = Indexer(clickHouse, state.File("incidents.json"));

        var initial = await first.IndexAsync(kb, ct);
        var again = await first.IndexAsync(kb, ct);
        using var restarted = Indexer(clickHouse, state.File("incidents.json"));
        var afterRestart = await restarted.IndexAsync(kb, ct);

        Assert.Equal(1, initial.Count(IngestOutcome.Indexed));
        Assert.NotNull(initial.Watermark);
        Assert.Equal((0, 0, 0), (again.RowsRead, again.Incidents, again.Results.Count));
        Assert.Equal(initial.Watermark, again.Watermark);
        Assert.Equal((0, 0), (afterRestart.RowsRead, afterRestart.Results.Count));
        Assert.Equal(initial.Watermark, restarted.Watermark);
    }

    [Fact]
    public async Task IndexAsync_NewerDiagnosisRevision_ReplacesTheDocument()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var incident = Records.CrashLoop("inc-rediagnosed");
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [Records.Diagnosis(incident, 2, "suspected OOM of the sidecar", [], ["raise memory limit"])], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);
        await indexer.IndexAsync(kb, ct);

        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [], [Records.Diagnosis(incident, 3, "DATABASE_URL points at a decommissioned database host", [], ["Point DATABASE_URL at postgres.payments.svc"])], ct);
        var report = await indexer.IndexAsync(kb, ct);

        Assert.Equal((1, 1), (report.RowsRead, report.Incidents));
        var result = Assert.Single(report.Results);
        Assert.Equal(IngestOutcome.Indexed, result.Outcome);
        var hits = await kb.SearchAsync(new KnowledgeQuery("root cause decommissioned database host sidecar OOM", "team-a", Top: 20), ct);
        var text = string.Join("\n", hits.Where(h => h.Chunk.SourceId == "incidents/inc-rediagnosed").Select(h => h.Chunk.Text));
        Assert.Contains("DATABASE_URL points at a decommissioned database host", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sidecar", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_IncidentResolvedInALaterRevision_IsIndexedOnTheRunAfterResolution()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var open = Records.CrashLoop("inc-late", revision: 2);
        open.State = IncidentState.Open;
        open.ResolvedAt = null;
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [open], [Records.Diagnosis(open, 2, "bad DATABASE_URL", [], ["fix it"])], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);
        var whileOpen = await indexer.IndexAsync(kb, ct);

        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [Records.CrashLoop("inc-late", revision: 4)], [], ct);
        var afterResolution = await indexer.IndexAsync(kb, ct);

        Assert.Equal((1, 0), (whileOpen.NotResolved, whileOpen.Results.Count));
        Assert.Equal((1, 0), (afterResolution.RowsRead, afterResolution.NotResolved));
        Assert.Equal(IngestOutcome.Indexed, Assert.Single(afterResolution.Results).Outcome);
    }

    [Theory]
    [InlineData(RetrievalMode.Hybrid)]
    [InlineData(RetrievalMode.Bm25)]
    [InlineData(RetrievalMode.Vector)]
    public async Task IndexAsync_SingleTenantIncident_IsNeverRetrievedByAnotherTenantOrSharedOnly(RetrievalMode mode)
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var incident = Records.CrashLoop("inc-private");
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [Records.Diagnosis(incident, 3, "DATABASE_URL points at a decommissioned database host", [], ["fix it"])], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);
        await indexer.IndexAsync(kb, ct);

        var owner = await kb.SearchAsync(new KnowledgeQuery(CrashQuery, "team-a", 10, mode), ct);
        var other = await kb.SearchAsync(new KnowledgeQuery(CrashQuery, "team-b", 10, mode), ct);
        var shared = await kb.SearchAsync(new KnowledgeQuery(CrashQuery, null, 10, mode), ct);

        Assert.Contains(owner, h => h.Chunk.SourceId == "incidents/inc-private");
        Assert.Empty(other);
        Assert.Empty(shared);
    }

    [Fact]
    public async Task IndexAsync_HostIncidentAffectingTwoTenants_GivesEachAPrivateCopyWithoutTheOtherTenantsNames()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var node = Records.Node("node-7");
        var podA = Records.Pod("team-a", "checkout-5f6-abc", "shop-a");
        var podB = Records.Pod("team-b", "ledger-0", "finance-b");
        var incident = Records.Incident(
            "inc-node",
            node,
            "NodePressure",
            "node-7 memory pressure evicted checkout-5f6-abc of team-a and ledger-0 of team-b",
            5,
            TimeSpan.FromMinutes(40),
            Records.Signal("sig-node", node, "node.pressure", "MemoryPressure", "node-7 reports MemoryPressure"),
            Records.Signal("sig-a", podA, "pod.evicted", "Evicted", "checkout-5f6-abc in shop-a evicted: node low on memory"),
            Records.Signal("sig-b", podB, "pod.evicted", "Evicted", "ledger-0 in finance-b evicted: node low on memory"));
        incident.Tenants.Add(["team-a", "team-b"]);
        incident.Affected.Add([podA, podB]);
        var diagnosis = Records.Diagnosis(
            incident,
            5,
            "node-7 overcommitted memory; checkout-5f6-abc and ledger-0 were evicted",
            ["[E1] node-7 MemoryPressure True", "[E2] Event Evicted checkout-5f6-abc vcluster-team-a", "[E3] Event Evicted ledger-0 vcluster-team-b"],
            ["Cordon node-7 and drain it", "Set memory requests for checkout-5f6-abc"]);
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [diagnosis], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);

        var report = await indexer.IndexAsync(kb, ct);

        Assert.Equal(2, report.Count(IngestOutcome.Indexed));
        string[] teamANames = ["team-a", "checkout-5f6-abc", "shop-a", "vc-team-a", "vcluster-team-a", "uid-checkout"];
        string[] teamBNames = ["team-b", "ledger-0", "finance-b", "vc-team-b", "vcluster-team-b", "uid-ledger"];
        foreach (var mode in new[] { RetrievalMode.Hybrid, RetrievalMode.Bm25, RetrievalMode.Vector })
        {
            var forB = await kb.SearchAsync(new KnowledgeQuery("checkout-5f6-abc shop-a team-a evicted node-7 memory pressure", "team-b", 20, mode), ct);
            var forA = await kb.SearchAsync(new KnowledgeQuery("ledger-0 finance-b team-b evicted node-7 memory pressure", "team-a", 20, mode), ct);
            Assert.Contains(forB, h => h.Chunk.SourceId == "incidents/inc-node");
            Assert.Contains(forA, h => h.Chunk.SourceId == "incidents/inc-node");
            Assert.All(forB, h => Assert.Equal("team-b", h.Chunk.Tenant));
            Assert.All(forA, h => Assert.Equal("team-a", h.Chunk.Tenant));
            foreach (var name in teamANames)
            {
                Assert.All(forB, h => Assert.DoesNotContain(name, h.Chunk.IndexedText, StringComparison.Ordinal));
            }

            foreach (var name in teamBNames)
            {
                Assert.All(forA, h => Assert.DoesNotContain(name, h.Chunk.IndexedText, StringComparison.Ordinal));
            }

            Assert.Empty(await kb.SearchAsync(new KnowledgeQuery("node-7 memory pressure evicted", null, 20, mode), ct));
        }

        // Each copy still says what happened to the reader's own pod and to the node.
        var own = string.Join("\n", (await kb.SearchAsync(new KnowledgeQuery("node-7 memory pressure evicted ledger-0", "team-b", 20), ct)).Select(h => h.Chunk.IndexedText));
        Assert.Contains("ledger-0 in finance-b evicted", own, StringComparison.Ordinal);
        Assert.Contains("[E3] Event Evicted ledger-0 vcluster-team-b", own, StringComparison.Ordinal);
        Assert.Contains("Cordon node-7 and drain it", own, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_PlatformIncidentWithoutTenants_IsShared()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var node = Records.Node("node-9");
        var incident = Records.Incident("inc-platform", node, "NodeNotReady", "node-9 kubelet stopped posting status", 2, TimeSpan.FromMinutes(9), Records.Signal("sig-9", node, "node.notready", "NodeNotReady", "kubelet stopped posting node status"));
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [Records.Diagnosis(incident, 2, "kubelet on node-9 lost its certificate", [], ["Renew the kubelet client certificate"])], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);

        var report = await indexer.IndexAsync(kb, ct);

        Assert.Equal(IngestOutcome.Indexed, Assert.Single(report.Results).Outcome);
        var hits = await kb.SearchAsync(new KnowledgeQuery("kubelet stopped posting node status certificate", "team-c", 5), ct);
        Assert.Contains(hits, h => h.Chunk.SourceId == "incidents/inc-platform" && h.Chunk.Visibility == KnowledgeVisibility.Shared);
    }

    [Fact]
    public async Task IndexAsync_IdsWithQuotesAndBackslashes_AreEscapedInSql()
    {
        var ct = TestContext.Current.CancellationToken;
        var clickHouse = await fixture.NewDatabaseAsync(ct);
        var incident = Records.CrashLoop(@"inc-o'brien\x");
        await SinkWriter.WriteAsync(fixture.Store, clickHouse, [incident], [Records.Diagnosis(incident, 3, "bad DATABASE_URL", [], ["fix it"])], ct);
        await using var kb = await fixture.OpenKnowledgeBaseAsync(null, ct);
        using var indexer = Indexer(clickHouse);

        var report = await indexer.IndexAsync(kb, ct);

        Assert.Equal((@"incidents/inc-o'brien\x", IngestOutcome.Indexed), (Assert.Single(report.Results).Source, report.Results[0].Outcome));
    }

    private PastIncidentIndexer Indexer(ClickHouseOptions clickHouse, string? statePath = null) =>
        new(fixture.Store, Options.Create(clickHouse), Options.Create(new PastIncidentIndexerOptions { StatePath = statePath }));
}
