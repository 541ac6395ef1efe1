namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class EmbeddedVectorStoreTests
{
    private static float[] Unit(params float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }

    [Fact]
    public async Task SearchAsync_Scope_FiltersBeforeTopK()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = new EmbeddedVectorStore(null);
        await store.UpsertAsync(
        [
            new VectorRecord("a-secret", "team-a", KnowledgeVisibility.Private, Unit(1, 0, 0)),
            new VectorRecord("a-secret-2", "team-a", KnowledgeVisibility.Private, Unit(0.99f, 0.1f, 0)),
            new VectorRecord("shared", KnowledgeScope.SharedTenant, KnowledgeVisibility.Shared, Unit(0, 1, 0)),
            new VectorRecord("b-own", "team-b", KnowledgeVisibility.Private, Unit(0, 0, 1)),
        ], ct);

        var forB = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.For("team-b"), 2, ct);
        var forA = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.For("team-a"), 2, ct);
        var sharedOnly = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.SharedOnly, 5, ct);

        Assert.Equal(2, forB.Count);
        Assert.DoesNotContain(forB, m => m.ChunkId.StartsWith("a-", StringComparison.Ordinal));
        Assert.Equal(["a-secret", "a-secret-2"], forA.Select(m => m.ChunkId));
        Assert.Equal(1f, forA[0].Score, 5);
        Assert.Equal(["shared"], sharedOnly.Select(m => m.ChunkId));
    }

    [Fact]
    public async Task FlushAsync_Reopen_SameVectorsAndDeletesKept()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using (var store = new EmbeddedVectorStore(dir.Path))
        {
            await store.UpsertAsync([new VectorRecord("x", "shared", KnowledgeVisibility.Shared, Unit(1, 2)), new VectorRecord("y", "t", KnowledgeVisibility.Private, Unit(2, 1))], ct);
            await store.DeleteAsync(["x"], ct);
            await store.FlushAsync(ct);
        }

        await using var reopened = new EmbeddedVectorStore(dir.Path);
        Assert.Equal(1, await reopened.CountAsync(ct));
        var match = Assert.Single(await reopened.SearchAsync(Unit(2, 1), KnowledgeScope.For("t"), 3, ct));
        Assert.Equal("y", match.ChunkId);
    }

    [Fact]
    public async Task UpsertAsync_WrongDimensions_ThrowsAndKeepsStore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = new EmbeddedVectorStore(null);
        await store.EnsureCreatedAsync(3, ct);

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([new VectorRecord("ok", "shared", KnowledgeVisibility.Shared, Unit(1, 0, 0)), new VectorRecord("bad", "shared", KnowledgeVisibility.Shared, Unit(1, 0))], ct));
        Assert.Equal(0, await store.CountAsync(ct));
    }

    [Fact]
    public async Task Constructor_CorruptFile_ThrowsInvalidData()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File(EmbeddedVectorStore.FileName), "not a vector file", TestContext.Current.CancellationToken);

        Assert.Throws<InvalidDataException>(() => new EmbeddedVectorStore(dir.Path));
    }
}
