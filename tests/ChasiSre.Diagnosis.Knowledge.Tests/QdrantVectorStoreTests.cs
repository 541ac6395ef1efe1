using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>The Qdrant store through the real Qdrant.Client against an in-process gRPC server speaking Qdrant's RPCs.</summary>
public sealed class QdrantVectorStoreTests(MiniLmFixture miniLm)
{
    private static float[] Unit(params float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }

    private static QdrantClient Client(FakeQdrantServer server, out GrpcChannel channel)
    {
        channel = GrpcChannel.ForAddress(server.Address);
        return new QdrantClient(new QdrantGrpcClient(channel));
    }

    [Fact]
    public async Task EnsureCreatedAsync_NewCollection_CreatesCosineCollectionWithKeywordIndexesOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeQdrantServer.StartAsync(ct);
        using var client = Client(server, out var channel);
        using var _ = channel;
        await using var store = new QdrantVectorStore(client, "kb");

        await store.EnsureCreatedAsync(384, ct);
        await store.EnsureCreatedAsync(384, ct);

        var collection = server.State.Collections["kb"];
        Assert.Equal(384ul, collection.Size);
        Assert.Equal(Distance.Cosine, collection.Distance);
        Assert.Equal(FieldType.Keyword, collection.FieldIndexes[QdrantVectorStore.TenantKey]);
        Assert.Equal(FieldType.Keyword, collection.FieldIndexes[QdrantVectorStore.VisibilityKey]);
        Assert.Single(server.State.Calls, c => c.StartsWith("Collections.Create ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_TenantScope_PayloadFilterKeepsOtherTenantsOut()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeQdrantServer.StartAsync(ct);
        using var client = Client(server, out var channel);
        using var _ = channel;
        await using var store = new QdrantVectorStore(client, "kb");
        await store.EnsureCreatedAsync(3, ct);
        await store.UpsertAsync(
        [
            new VectorRecord("team-a:secret.md#x", "team-a", KnowledgeVisibility.Private, Unit(1, 0, 0)),
            new VectorRecord("shared.md#y", KnowledgeScope.SharedTenant, KnowledgeVisibility.Shared, Unit(1, 1, 0)),
            new VectorRecord("team-b:own.md#z", "team-b", KnowledgeVisibility.Private, Unit(0, 0, 1)),
        ], ct);

        var forB = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.For("team-b"), 3, ct);
        var forA = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.For("team-a"), 1, ct);
        var shared = await store.SearchAsync(Unit(1, 0, 0), KnowledgeScope.SharedOnly, 3, ct);

        Assert.Equal(["shared.md#y", "team-b:own.md#z"], forB.Select(m => m.ChunkId));
        Assert.Equal("team-a:secret.md#x", Assert.Single(forA).ChunkId);
        Assert.Equal(1f, forA[0].Score, 4);
        Assert.Equal(["shared.md#y"], shared.Select(m => m.ChunkId));
        Assert.Equal(3, await store.CountAsync(ct));
    }

    [Fact]
    public async Task DeleteAsync_ChunkIds_RemovesTheirPointsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeQdrantServer.StartAsync(ct);
        using var client = Client(server, out var channel);
        using var _ = channel;
        await using var store = new QdrantVectorStore(client, "kb");
        await store.EnsureCreatedAsync(2, ct);
        await store.UpsertAsync([new VectorRecord("a", "shared", KnowledgeVisibility.Shared, Unit(1, 0)), new VectorRecord("b", "shared", KnowledgeVisibility.Shared, Unit(0, 1))], ct);

        await store.DeleteAsync(["a", "never-stored"], ct);

        Assert.Equal(1, await store.CountAsync(ct));
        Assert.Equal([QdrantVectorStore.PointId("b").ToString()], server.State.Collections["kb"].Points.Keys);
    }

    [Fact]
    public async Task UpsertAsync_WrongDimensions_ServerErrorSurfaces()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeQdrantServer.StartAsync(ct);
        using var client = Client(server, out var channel);
        using var _ = channel;
        await using var store = new QdrantVectorStore(client, "kb");
        await store.EnsureCreatedAsync(3, ct);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.UpsertAsync([new VectorRecord("a", "shared", KnowledgeVisibility.Shared, Unit(1, 0))], ct));

        Assert.Contains("expected dim: 3", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeBase_OverQdrant_HybridSearchIsTenantSafe()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeQdrantServer.StartAsync(ct);
        using var client = Client(server, out var channel);
        using var _ = channel;
        var store = new QdrantVectorStore(client, "kb");
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), miniLm.Generator, store, cancellationToken: ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/dns.md", "# DNS\n\n## Symptoms\n\nPods fail lookups with no such host.\n"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("notes/dns.md", "# Our DNS\n\n## Symptoms\n\nOur pods fail lookups of db.internal with no such host.\n", Tenant: "team-a", Visibility: KnowledgeVisibility.Private), ct);

        var forB = await kb.SearchAsync(new KnowledgeQuery("lookups fail no such host", "team-b", Top: 5), ct);
        var forA = await kb.SearchAsync(new KnowledgeQuery("lookups of db.internal fail", "team-a", Top: 5), ct);

        Assert.Equal(["runbooks/dns.md#symptoms"], forB.Select(h => h.Chunk.Citation));
        Assert.Equal("team-a:notes/dns.md#symptoms", forA[0].Chunk.Id);
        Assert.NotNull(forA[0].VectorRank);
        Assert.Equal(2, await store.CountAsync(ct));
        Assert.Equal(IngestOutcome.Removed, (await kb.RemoveAsync("notes/dns.md", "team-a", ct)).Outcome);
        Assert.Equal(1, await store.CountAsync(ct));
    }

    [Fact]
    public void ScopeFilter_Tenant_SharedOrOwnPrivate()
    {
        var filter = QdrantVectorStore.ScopeFilter(KnowledgeScope.For("team-a"));

        Assert.Empty(filter.Must);
        Assert.Equal(2, filter.Should.Count);
        Assert.Equal("shared", filter.Should[0].Field.Match.Keyword);
        Assert.Equal(["team-a", "private"], filter.Should[1].Filter.Must.Select(c => c.Field.Match.Keyword));
    }
}
