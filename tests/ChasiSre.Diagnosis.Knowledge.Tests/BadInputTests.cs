namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>Binary, empty, oversized, invalid UTF-8 and duplicate files: a per-file reason each, and the index stays as it was.</summary>
public sealed class BadInputTests(MiniLmFixture miniLm)
{
    [Fact]
    public async Task AddPathsAsync_BadFiles_PerFileReasonsAndIndexConsistent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var source = new TempDirectory();
        using var store = new TempDirectory();
        source.Write("docs/good.md", "# Good\n\n## Restart\n\nRestart the deployment with kubectl rollout restart.\n");
        source.Write("docs/copy-of-good.md", "# Good\n\n## Restart\n\nRestart the deployment with kubectl rollout restart.\n");
        source.Write("docs/empty.md", string.Empty);
        source.Write("docs/blank.txt", " \n\t\n");
        await File.WriteAllBytesAsync(source.File("docs/binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], ct);
        await File.WriteAllBytesAsync(source.File("docs/latin1.md"), [.. "# Caf"u8, 0xE9, .. "\n\nbad byte"u8], ct);
        await File.WriteAllBytesAsync(source.File("docs/image.png"), [0x89, 0x50, 0x4E, 0x47], ct);
        await using (var big = File.Create(source.File("docs/huge.md")))
        {
            big.SetLength(50L << 20);
        }

        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions { DataDirectory = store.Path }, miniLm.Generator, cancellationToken: ct);
        var report = await kb.AddPathsAsync([Path.Combine(source.Path, "docs"), source.File("missing.md")], cancellationToken: ct);
        var outcome = report.Results.ToDictionary(r => r.Source, r => (r.Outcome, r.Reason));

        Assert.Equal((IngestOutcome.Skipped, "binary file (NUL byte at offset 8)"), outcome["docs/binary.md"]);
        Assert.Equal((IngestOutcome.Skipped, "empty file"), outcome["docs/empty.md"]);
        Assert.Equal((IngestOutcome.Skipped, "no text (whitespace only)"), outcome["docs/blank.txt"]);
        Assert.Equal((IngestOutcome.Failed, "invalid UTF-8 at byte offset 5"), outcome["docs/latin1.md"]);
        Assert.Equal(IngestOutcome.Failed, outcome["docs/huge.md"].Outcome);
        Assert.Equal($"file is {50L << 20} bytes, over the {8L << 20}-byte limit (MaxDocumentBytes)", outcome["docs/huge.md"].Reason);
        Assert.Equal(IngestOutcome.Skipped, outcome["docs/image.png"].Outcome);
        Assert.StartsWith("unsupported file type '.png'", outcome["docs/image.png"].Reason, StringComparison.Ordinal);
        Assert.Equal((IngestOutcome.Failed, "no such file or directory"), outcome[source.File("missing.md")]);
        // copy-of-good.md sorts first, so good.md is the duplicate.
        Assert.Equal((IngestOutcome.Indexed, null), outcome["docs/copy-of-good.md"]);
        Assert.Equal((IngestOutcome.Skipped, "duplicate of docs/copy-of-good.md"), outcome["docs/good.md"]);

        var stats = await kb.GetStatsAsync(ct);
        Assert.Equal(1, stats.Sources);
        Assert.Equal(stats.Chunks, stats.Vectors);
        var hit = Assert.Single(await kb.SearchAsync(new KnowledgeQuery("rollout restart", Top: 5), ct));
        Assert.Equal("docs/copy-of-good.md#restart", hit.Chunk.Citation);
    }

    [Fact]
    public async Task AddPathsAsync_IndexedFileBecomesInvalid_KeepsPreviousVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var source = new TempDirectory();
        var path = source.Write("docs/a.md", "# A\n\n## Drain\n\nCordon then drain the node.\n");
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), miniLm.Generator, cancellationToken: ct);
        await kb.AddPathsAsync([Path.Combine(source.Path, "docs")], cancellationToken: ct);

        await File.WriteAllBytesAsync(path, [0xC3, 0x28], ct);
        var report = await kb.AddPathsAsync([Path.Combine(source.Path, "docs")], cancellationToken: ct);

        Assert.Equal(IngestOutcome.Failed, Assert.Single(report.Results).Outcome);
        Assert.Equal("docs/a.md#drain", Assert.Single(await kb.SearchAsync(new KnowledgeQuery("drain the node", Mode: RetrievalMode.Bm25), ct)).Chunk.Citation);
    }

    [Fact]
    public async Task UpsertAsync_EmptyDocument_Skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), miniLm.Generator, cancellationToken: ct);

        var result = await kb.UpsertAsync(new KnowledgeDocument("business/orders/runbook", "   "), ct);

        Assert.Equal((IngestOutcome.Skipped, "empty document"), (result.Outcome, result.Reason));
        Assert.Equal(0, (await kb.GetStatsAsync(ct)).Chunks);
    }
}
