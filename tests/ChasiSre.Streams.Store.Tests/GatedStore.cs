using ChasiSre.Platform.ClickHouse;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>
/// The real store behind a gate: while the gate is closed, inserts wait in front of it (an insert in
/// flight for as long as a test needs); once opened, they go through. Counts the rows it inserted.
/// </summary>
internal sealed class GatedStore(IClickHouseStore inner, bool closed = false) : IClickHouseStore
{
    private readonly TaskCompletionSource gate = NewGate(closed);
    private int held;
    private long heldRows;
    private long rowsInserted;

    /// <summary>Inserts that reached the gate while it was closed.</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>Rows of the inserts that reached the gate while it was closed.</summary>
    public long HeldRows => Interlocked.Read(ref heldRows);

    /// <summary>Rows inserted into ClickHouse through this store.</summary>
    public long RowsInserted => Interlocked.Read(ref rowsInserted);

    public ClickHouseBackend Backend => inner.Backend;

    public void Open() => gate.TrySetResult();

    public Task ExecuteAsync(string sql, CancellationToken cancellationToken = default) => inner.ExecuteAsync(sql, cancellationToken);

    public Task<ClickHouseQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, cancellationToken);

    public async Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var batch = rows.ToList();
        if (!gate.Task.IsCompleted)
        {
            Interlocked.Add(ref heldRows, batch.Count);
            Interlocked.Increment(ref held);
            await gate.Task.WaitAsync(cancellationToken);
        }

        var inserted = await inner.InsertAsync(table, columns, batch, cancellationToken);
        Interlocked.Add(ref rowsInserted, batch.Count);
        return inserted;
    }

    private static TaskCompletionSource NewGate(bool closed)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!closed)
        {
            gate.SetResult();
        }

        return gate;
    }
}
