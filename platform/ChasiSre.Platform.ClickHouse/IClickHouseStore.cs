namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// ClickHouse SQL against either backend: embedded chDB (<see cref="ChDbStore"/>) or a ClickHouse server
/// (<see cref="ClickHouseServerStore"/>). Both run the same SQL text and return the same typed rows.
/// </summary>
/// <remarks>
/// Write fully qualified table names (<c>chasi.incidents</c>): the embedded connection is shared by the
/// whole process, so there is no per-caller current database. Failures in ClickHouse surface as
/// <see cref="ClickHouseStoreException"/>.
/// </remarks>
public interface IClickHouseStore
{
    /// <summary>Which backend this store talks to.</summary>
    ClickHouseBackend Backend { get; }

    /// <summary>Runs one statement (DDL, INSERT ... SELECT, OPTIMIZE, ...) and discards any output.</summary>
    Task ExecuteAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>Runs one query and returns all of its rows, typed from the ClickHouse column types.</summary>
    /// <param name="sql">A query without a FORMAT clause.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ClickHouseQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts <paramref name="rows"/> (values in <paramref name="columns"/> order) into <paramref name="table"/>
    /// in batches of <see cref="ClickHouseOptions.InsertBatchSize"/> rows.
    /// </summary>
    /// <remarks>
    /// Date/times: <see cref="DateTime"/> with <see cref="DateTimeKind.Unspecified"/> is taken as UTC.
    /// Batches are not atomic together: a failure leaves the earlier batches inserted.
    /// </remarks>
    /// <returns>The number of rows inserted.</returns>
    Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken = default);
}
