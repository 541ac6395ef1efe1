namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class KnowledgeBaseTests(MiniLmFixture miniLm)
{
    private const string Oom = """
        ---
        categories: [OOMKilled]
        ---
        # OOMKilled

        ## Symptoms

        The container was killed by the kernel OOM killer, exit code 137, reason OOMKilled.

        ## Fix

        Raise the memory limit above the observed peak working set.
        """;

    private const string Dns = """
        # DNS

        ## Symptoms

        Lookups fail with getaddrinfo EAI_AGAIN and no such host inside pods.
        """;

    private Task<KnowledgeBase> OpenAsync(string? directory) =>
        KnowledgeBase.OpenAsync(new KnowledgeBaseOptions { DataDirectory = directory }, miniLm.Generator, cancellationToken: TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(RetrievalMode.Hybrid)]
    [InlineData(RetrievalMode.Bm25)]
    [InlineData(RetrievalMode.Vector)]
    public async Task SearchAsync_EachMode_FindsTheSectionWithCitation(RetrievalMode mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await OpenAsync(null);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/dns.md", Dns), ct);

        var hits = await kb.SearchAsync(new KnowledgeQuery("container terminated with exit code 137 OOMKilled", Top: 3, Mode: mode), ct);

        Assert.Equal("kb:runbooks/oom.md#symptoms", hits[0].Citation);
        Assert.Equal(["OOMKilled"], hits[0].Chunk.Categories);
        Assert.Equal("OOMKilled › Symptoms", hits[0].Chunk.HeadingPath);
        Assert.Equal(mode != RetrievalMode.Vector, hits[0].Bm25Rank is not null);
        Assert.Equal(mode != RetrievalMode.Bm25, hits[0].VectorRank is not null);
    }

    [Fact]
    public async Task UpsertAsync_SameThenChangedContent_UnchangedThenReplacesChunks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await OpenAsync(null);

        Assert.Equal(IngestOutcome.Indexed, (await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct)).Outcome);
        Assert.Equal(IngestOutcome.Unchanged, (await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct)).Outcome);
        var changed = await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", "# OOMKilled\n\n## Heap dumps\n\nCapture a heap dump before the kill.\n"), ct);

        Assert.Equal(IngestOutcome.Indexed, changed.Outcome);
        var stats = await kb.GetStatsAsync(ct);
        Assert.Equal(1, stats.Chunks);
        Assert.Equal(1, stats.Vectors);
        var hits = await kb.SearchAsync(new KnowledgeQuery("raise the memory limit working set", Top: 5), ct);
        Assert.All(hits, h => Assert.Equal("runbooks/oom.md#heap-dumps", h.Chunk.Citation));
    }

    [Fact]
    public async Task UpsertAsync_DuplicateDocumentUnderAnotherSource_SkippedWithReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await OpenAsync(null);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct);

        var duplicate = await kb.UpsertAsync(new KnowledgeDocument("copies/oom-copy.md", Oom), ct);
        var sectionCopy = await kb.UpsertAsync(new KnowledgeDocument("other.md", Oom.Replace("# OOMKilled", "# OOMKilled\n\n## Extra\n\nOnly this section is new.", StringComparison.Ordinal)), ct);

        Assert.Equal(IngestOutcome.Skipped, duplicate.Outcome);
        Assert.Equal("duplicate of runbooks/oom.md", duplicate.Reason);
        Assert.Equal(IngestOutcome.Indexed, sectionCopy.Outcome);
        Assert.Equal(1, sectionCopy.Chunks);
        Assert.Equal("2 duplicate sections dropped", sectionCopy.Reason);
        Assert.Equal(3, (await kb.GetStatsAsync(ct)).Chunks);
    }

    [Fact]
    public async Task AddPathsAsync_FileChangedAndDeleted_ReindexesAndRemoves()
    {
        var ct = TestContext.Current.CancellationToken;
        using var source = new TempDirectory();
        using var store = new TempDirectory();
        var root = Path.Combine(source.Path, "runbooks");
        source.Write("runbooks/oom.md", Oom);
        var dnsPath = source.Write("runbooks/net/dns.md", Dns);
        await using var kb = await OpenAsync(store.Path);

        var first = await kb.AddPathsAsync([root], cancellationToken: ct);
        Assert.Equal(["runbooks/net/dns.md", "runbooks/oom.md"], first.Results.Select(r => r.Source));
        Assert.All(first.Results, r => Assert.Equal(IngestOutcome.Indexed, r.Outcome));

        File.Delete(dnsPath);
        source.Write("runbooks/oom.md", Oom + "\n## Prevent\n\nAlert at 90 % of the limit.\n");
        var second = await kb.AddPathsAsync([root], cancellationToken: ct);

        Assert.Equal(IngestOutcome.Indexed, Assert.Single(second.Results, r => r.Source == "runbooks/oom.md").Outcome);
        Assert.Equal(IngestOutcome.Removed, Assert.Single(second.Results, r => r.Source == "runbooks/net/dns.md").Outcome);
        var stats = await kb.GetStatsAsync(ct);
        Assert.Equal(1, stats.Sources);
        Assert.Equal(3, stats.Chunks);
        Assert.Equal(3, stats.Vectors);
        Assert.Empty((await kb.SearchAsync(new KnowledgeQuery("getaddrinfo EAI_AGAIN", Mode: RetrievalMode.Bm25), ct)));
    }

    [Fact]
    public async Task OpenAsync_ExistingStore_ReloadsIndexAndVectors()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = new TempDirectory();
        await using (var kb = await OpenAsync(store.Path))
        {
            await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct);
            await kb.UpsertAsync(new KnowledgeDocument("tenant/notes.md", Dns, Tenant: "team-a", Visibility: KnowledgeVisibility.Private), ct);
        }

        await using var reopened = await OpenAsync(store.Path);
        var stats = await reopened.GetStatsAsync(ct);
        var hits = await reopened.SearchAsync(new KnowledgeQuery("no such host lookups fail", "team-a", Top: 1, Mode: RetrievalMode.Vector), ct);

        Assert.Equal(3, stats.Chunks);
        Assert.Equal(3, stats.Vectors);
        Assert.Equal(new Dictionary<string, int> { ["shared"] = 2, ["team-a"] = 1 }, stats.ChunksByTenant);
        Assert.Equal("kb:tenant/notes.md#symptoms", Assert.Single(hits).Citation);
        Assert.Equal(IngestOutcome.Unchanged, (await reopened.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct)).Outcome);
    }

    [Fact]
    public async Task RemoveAsync_IndexedAndUnknownSource_RemovedThenSkipped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await OpenAsync(null);
        await kb.UpsertAsync(new KnowledgeDocument("incident/inc-42", "# inc-42\n\nRoot cause: DEPLOY_ENV missing.", Tenant: "team-a", Visibility: KnowledgeVisibility.Private), ct);

        var wrongScope = await kb.RemoveAsync("incident/inc-42", cancellationToken: ct);
        var removed = await kb.RemoveAsync("incident/inc-42", "team-a", ct);
        var again = await kb.RemoveAsync("incident/inc-42", "team-a", ct);

        Assert.Equal(IngestOutcome.Skipped, wrongScope.Outcome);
        Assert.Equal(IngestOutcome.Removed, removed.Outcome);
        Assert.Equal(1, removed.Chunks);
        Assert.Equal(IngestOutcome.Skipped, again.Outcome);
        Assert.Equal("not indexed", again.Reason);
        Assert.Equal(0, (await kb.GetStatsAsync(ct)).Vectors);
    }

    [Fact]
    public async Task UpsertAsync_SourceIdWithFragment_Throws()
    {
        await using var kb = await OpenAsync(null);

        await Assert.ThrowsAsync<ArgumentException>(() => kb.UpsertAsync(new KnowledgeDocument("a.md#x", "# A\n\ntext"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SearchAsync_OrphanVectorWithoutCatalogEntry_Ignored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await OpenAsync(null);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/oom.md", Oom), ct);
        var probe = await miniLm.Generator.GenerateAsync(["exit code 137 OOMKilled"], cancellationToken: ct);
        await kb.VectorStore.UpsertAsync([new VectorRecord("runbooks/gone.md#x", KnowledgeScope.SharedTenant, KnowledgeVisibility.Shared, probe[0].Vector)], ct);

        var hits = await kb.SearchAsync(new KnowledgeQuery("exit code 137 OOMKilled", Top: 5, Mode: RetrievalMode.Vector), ct);

        Assert.Equal(2, hits.Count);
        Assert.DoesNotContain(hits, h => h.Chunk.Id == "runbooks/gone.md#x");
    }

    [Theory]
    [InlineData(Bm25Fields.ByQueryScript)]
    [InlineData(Bm25Fields.Both)]
    public async Task SearchAsync_ChineseQuery_SmartCnSegmentsWords(Bm25Fields fields)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions { Bm25Fields = fields }, miniLm.Generator, cancellationToken: ct);
        await kb.UpsertAsync(new KnowledgeDocument("zh/pool.md", "# 数据库\n\n## 连接池耗尽\n\n应用日志出现连接超时，数据库连接数被打满。\n"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("zh/disk.md", "# 节点\n\n## 磁盘压力\n\n节点磁盘写满，镜像回收失败，Pod 被驱逐。\n"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("en/pool.md", "# Database\n\n## Pool exhausted\n\nConnection is not available, request timed out.\n"), ct);

        var hits = await kb.SearchAsync(new KnowledgeQuery("数据库连接数满了", Top: 3, Mode: RetrievalMode.Bm25), ct);

        Assert.Equal("zh/pool.md#连接池耗尽", hits[0].Chunk.Citation);
        Assert.Equal("zh", hits[0].Chunk.Language);
        // The disk section shares only the one-character word 满 with the query; the pool section shares 数据库 and 连接.
        Assert.All(hits.Skip(1), h => Assert.True(hits[0].Score > 3 * h.Score, $"{h.Chunk.Id} scored {h.Score} against {hits[0].Score}"));
    }
}
