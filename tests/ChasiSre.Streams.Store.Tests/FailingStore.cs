using ChasiSre.Platform.ClickHouse;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>The real store, except that the inserts numbered in <paramref name="failOn"/> (1-based) throw before reaching ClickHouse.</summary>
internal sealed class FailingStore(IClickHouseStore inner, params int[] failOn) : IClickHouseStore
{
    private int inserts;
    private int failures;

    public int Inserts => Volatile.Read(ref inserts);

    public int Failures => Volatile.Read(ref failures);

    public ClickHouseBackend Backend => inner.Backend;

    public Task ExecuteAsync(string sql, CancellationToken cancellationToken = default) => inner.ExecuteAsync(sql, cancellationToken);

    public Task<ClickHouseQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, cancellationToken);

    public Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref inserts);
        if (failOn.Contains(n))
        {
            Interlocked.Increment(ref failures);
            throw new ClickHouseStoreException($"Injected failure of insert #{n} into {table}.");
        }

        return inner.InsertAsync(table, columns, rows, cancellationToken);
    }
}
