using System.Collections;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>The rows of a query with their columns; values are typed from the ClickHouse column types.</summary>
public sealed class ClickHouseQueryResult : IReadOnlyList<ClickHouseRow>
{
    private readonly IReadOnlyList<ClickHouseRow> _rows;

    internal ClickHouseQueryResult(IReadOnlyList<ClickHouseColumn> columns, IReadOnlyList<ClickHouseRow> rows)
    {
        Columns = columns;
        _rows = rows;
    }

    /// <summary>An empty result (a statement that produced no output).</summary>
    public static ClickHouseQueryResult Empty { get; } = new([], []);

    public IReadOnlyList<ClickHouseColumn> Columns { get; }

    public int Count => _rows.Count;

    public ClickHouseRow this[int index] => _rows[index];

    public IEnumerator<ClickHouseRow> GetEnumerator() => _rows.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
