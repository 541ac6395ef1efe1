namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Where chunk vectors live. Implementations apply the <see cref="KnowledgeScope"/> inside the
/// search itself (before the top-k cut), so a tenant never sees another tenant's private chunks
/// and never gets fewer results because of them.
/// </summary>
public interface IVectorStore : IAsyncDisposable
{
    /// <summary>Short name for stats and logs (<c>embedded</c>, <c>qdrant</c>).</summary>
    string Name { get; }

    /// <summary>Creates the collection/file for vectors of <paramref name="dimensions"/> if missing.</summary>
    Task EnsureCreatedAsync(int dimensions, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces vectors by chunk id.</summary>
    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Deletes vectors by chunk id; unknown ids are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="top"/> most similar vectors visible in <paramref name="scope"/>, best first.</summary>
    Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, KnowledgeScope scope, int top, CancellationToken cancellationToken = default);

    /// <summary>Makes every change so far durable (the embedded store writes its file; remote stores already are).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Vectors stored.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
