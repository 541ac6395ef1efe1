using System.Security.Cryptography;
using System.Text;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Chunk vectors in a Qdrant collection (cosine distance) through Qdrant.Client's gRPC API. Point
/// ids are UUIDs derived from the chunk id (SHA-256), the payload carries <c>chunk_id</c>,
/// <c>tenant</c> and <c>visibility</c> (both keyword-indexed), and the scope is a payload filter
/// in the search request.
/// </summary>
public sealed class QdrantVectorStore : IVectorStore
{
    /// <summary>Payload key of the chunk id.</summary>
    public const string ChunkIdKey = "chunk_id";

    /// <summary>Payload key of the owning tenant.</summary>
    public const string TenantKey = "tenant";

    /// <summary>Payload key of the visibility (<c>shared</c> or <c>private</c>).</summary>
    public const string VisibilityKey = "visibility";

    private readonly QdrantClient _client;
    private readonly string _collection;
    private readonly bool _ownsClient;

    /// <summary>Uses <paramref name="client"/> for <paramref name="collection"/>; disposes the client when <paramref name="ownsClient"/>.</summary>
    public QdrantVectorStore(QdrantClient client, string collection, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        _client = client;
        _collection = collection;
        _ownsClient = ownsClient;
    }

    /// <inheritdoc />
    public string Name => "qdrant";

    /// <summary>The Qdrant point id of a chunk: the first 16 bytes of SHA-256 of its id, as a UUID.</summary>
    public static Guid PointId(string chunkId)
    {
        ArgumentNullException.ThrowIfNull(chunkId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(chunkId), hash);
        return new Guid(hash[..16]);
    }

    /// <inheritdoc />
    public async Task EnsureCreatedAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if (await _client.CollectionExistsAsync(_collection, cancellationToken))
        {
            return;
        }

        await _client.CreateCollectionAsync(_collection, new VectorParams { Size = (ulong)dimensions, Distance = Distance.Cosine }, cancellationToken: cancellationToken);
        await _client.CreatePayloadIndexAsync(_collection, TenantKey, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
        await _client.CreatePayloadIndexAsync(_collection, VisibilityKey, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var points = records.Select(r =>
        {
            var point = new PointStruct { Id = PointId(r.ChunkId), Vectors = r.Vector.ToArray() };
            point.Payload[ChunkIdKey] = r.ChunkId;
            point.Payload[TenantKey] = r.Tenant;
            point.Payload[VisibilityKey] = Visibility(r.Visibility);
            return point;
        }).ToList();
        await _client.UpsertAsync(_collection, points, wait: true, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (chunkIds.Count == 0)
        {
            return;
        }

        await _client.DeleteAsync(_collection, chunkIds.Select(PointId).ToList(), wait: true, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, KnowledgeScope scope, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var points = await _client.QueryAsync(
            _collection,
            query: query.ToArray(),
            filter: ScopeFilter(scope),
            limit: (ulong)top,
            payloadSelector: new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { ChunkIdKey } } },
            cancellationToken: cancellationToken);
        return points
            .Where(p => p.Payload.TryGetValue(ChunkIdKey, out var id) && id.HasStringValue)
            .Select(p => new VectorMatch(p.Payload[ChunkIdKey].StringValue, p.Score))
            .ToArray();
    }

    /// <summary>The payload filter for <paramref name="scope"/>: shared, or private and owned by the scope's tenant.</summary>
    public static Filter ScopeFilter(KnowledgeScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var filter = new Filter();
        filter.Should.Add(Conditions.MatchKeyword(VisibilityKey, Visibility(KnowledgeVisibility.Shared)));
        if (scope.Tenant is { } tenant)
        {
            var own = new Filter();
            own.Must.Add(Conditions.MatchKeyword(TenantKey, tenant));
            own.Must.Add(Conditions.MatchKeyword(VisibilityKey, Visibility(KnowledgeVisibility.Private)));
            filter.Should.Add(Conditions.Filter(own));
        }

        return filter;
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        (long)await _client.CountAsync(_collection, exact: true, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string Visibility(KnowledgeVisibility visibility) => visibility == KnowledgeVisibility.Private ? "private" : "shared";
}
