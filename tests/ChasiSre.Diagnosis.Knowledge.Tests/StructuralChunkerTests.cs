namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class StructuralChunkerTests
{
    private const string Runbook = """
        ---
        title: Disk full
        categories: [Storage, NodePressure]
        ---
        # Disk full

        Intro paragraph.

        ## Symptoms

        - one
        - two

        ## Fix it

        ```bash
        # not a heading: a shell comment inside a fence
        df -h
        ```

        ### Fix it
        Again.
        """;

    [Fact]
    public void Chunk_MarkdownWithFrontMatter_OneChunkPerSectionWithAnchorsPathsAndCategories()
    {
        var chunks = new StructuralChunker().Chunk(new KnowledgeDocument("runbooks/disk.md", Runbook));

        Assert.Equal(["runbooks/disk.md#disk-full", "runbooks/disk.md#symptoms", "runbooks/disk.md#fix-it", "runbooks/disk.md#fix-it-1"], chunks.Select(c => c.Id));
        Assert.Equal("Disk full › Symptoms", chunks[1].HeadingPath);
        Assert.Equal("Disk full › Fix it › Fix it", chunks[3].HeadingPath);
        Assert.All(chunks, c => Assert.Equal(["Storage", "NodePressure"], c.Categories));
        Assert.All(chunks, c => Assert.Equal(KnowledgeScope.SharedTenant, c.Tenant));
        Assert.Contains("# not a heading", chunks[2].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("categories", chunks[0].Text, StringComparison.Ordinal);
        Assert.Equal("runbooks/disk.md#symptoms", chunks[1].Citation);
    }

    [Fact]
    public void Chunk_SectionLongerThanLimit_SplitsBetweenBlocksAndKeepsCodeFencesWhole()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("word", 60));
        var code = "```\n" + string.Join('\n', Enumerable.Range(0, 20).Select(i => $"line {i}")) + "\n```";
        var text = $"# Long\n\n{paragraph}\n\n{code}\n\n{paragraph}\n\n{paragraph}\n";
        var chunks = new StructuralChunker(new ChunkingOptions { MaxChunkChars = 400 }).Chunk(new KnowledgeDocument("long.md", text));

        Assert.True(chunks.Count >= 3);
        Assert.Equal("long.md#long", chunks[0].Id);
        Assert.Equal("long.md#long~2", chunks[1].Id);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 400, $"{c.Id} has {c.Text.Length} chars"));
        Assert.All(chunks, c => Assert.Equal("long", c.Anchor));
        var withCode = Assert.Single(chunks, c => c.Text.Contains("line 0", StringComparison.Ordinal));
        Assert.Contains("line 19", withCode.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_Html_MapsHeadingsListsAndPre()
    {
        const string html = """
            <html><head><style>body{}</style><script>var x = "<h2>no</h2>";</script></head><body>
            <h1>Certificates</h1><p>TLS &amp; more.</p>
            <h2>Check expiry</h2><ul><li>openssl</li><li>cmctl</li></ul>
            <pre>openssl x509 -noout -enddate &lt; cert.pem</pre>
            </body></html>
            """;
        var chunks = new StructuralChunker().Chunk(new KnowledgeDocument("docs/certs.html", html, DocumentFormat.Html));

        Assert.Equal(["docs/certs.html#certificates", "docs/certs.html#check-expiry"], chunks.Select(c => c.Id));
        Assert.Contains("TLS & more.", chunks[0].Text, StringComparison.Ordinal);
        Assert.Contains("- openssl", chunks[1].Text, StringComparison.Ordinal);
        Assert.Contains("openssl x509 -noout -enddate < cert.pem", chunks[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("var x", string.Concat(chunks.Select(c => c.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_PlainText_OneChunkTitledByFileName()
    {
        var chunks = new StructuralChunker().Chunk(new KnowledgeDocument("notes/restart-order.txt", "first paragraph\n\nsecond paragraph\n", DocumentFormat.PlainText));

        var chunk = Assert.Single(chunks);
        Assert.Equal("notes/restart-order.txt#restart-order", chunk.Id);
        Assert.Equal("restart-order", chunk.HeadingPath);
        Assert.Equal("first paragraph\n\nsecond paragraph", chunk.Text);
    }

    [Fact]
    public void Chunk_ChineseAndEnglishSections_DetectsLanguagePerChunk()
    {
        const string text = "# 磁盘\n\n## 现象\n\n节点磁盘写满以后，大量 Pod 被驱逐，`kubectl describe node` 显示 DiskPressure。\n\n## English notes\n\nThe kubelet evicts pods when the node is low on disk.\n";
        var chunks = new StructuralChunker().Chunk(new KnowledgeDocument("zh.md", text));

        Assert.Equal(["zh", "en"], chunks.Select(c => c.Language));
        Assert.Equal("zh.md#现象", chunks[0].Id);
    }

    [Fact]
    public void Chunk_PrivateDocument_IdCarriesTenantAndVisibility()
    {
        var chunk = Assert.Single(new StructuralChunker().Chunk(new KnowledgeDocument("a.md", "# A\n\ntext", Tenant: "team-a", Visibility: KnowledgeVisibility.Private)));

        Assert.Equal("team-a:a.md#a", chunk.Id);
        Assert.Equal("a.md#a", chunk.Citation);
        Assert.Equal("team-a", chunk.Tenant);
        Assert.Equal(KnowledgeVisibility.Private, chunk.Visibility);
    }

    [Fact]
    public void Chunk_WhitespaceOnly_NoChunks()
    {
        Assert.Empty(new StructuralChunker().Chunk(new KnowledgeDocument("empty.md", "---\ntitle: x\n---\n\n  \n")));
    }

    [Fact]
    public void ContentHash_WhitespaceDifferences_SameHash()
    {
        Assert.Equal(StructuralChunker.ContentHash("a  b\n c"), StructuralChunker.ContentHash(" a b c "));
        Assert.NotEqual(StructuralChunker.ContentHash("a b c"), StructuralChunker.ContentHash("a b d"));
    }
}
