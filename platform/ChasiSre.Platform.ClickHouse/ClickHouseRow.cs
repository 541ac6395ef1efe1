using System.Globalization;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// One result row. Values are CLR types chosen from the column's ClickHouse type: Int32 → <see cref="int"/>,
/// UInt64 → <see cref="ulong"/>, Float64 → <see cref="double"/>, Decimal → <see cref="decimal"/>, Bool → <see cref="bool"/>,
/// String/FixedString/Enum/IPv4/IPv6 → <see cref="string"/>, UUID → <see cref="Guid"/>, Date/Date32 → <see cref="DateOnly"/>,
/// DateTime/DateTime64 → <see cref="DateTime"/> in UTC, Array/Tuple → <c>object?[]</c>,
/// Map → <c>Dictionary&lt;string, object?&gt;</c>, Nullable NULL → <see langword="null"/>; other types → their JSON text.
/// </summary>
public sealed class ClickHouseRow
{
    private readonly IReadOnlyList<ClickHouseColumn> _columns;
    private readonly Dictionary<string, int> _ordinals;
    private readonly object?[] _values;

    internal ClickHouseRow(IReadOnlyList<ClickHouseColumn> columns, Dictionary<string, int> ordinals, object?[] values)
    {
        _columns = columns;
        _ordinals = ordinals;
        _values = values;
    }

    public IReadOnlyList<ClickHouseColumn> Columns => _columns;

    public int FieldCount => _values.Length;

    public object? this[int ordinal] => _values[ordinal];

    public object? this[string column] => _values[GetOrdinal(column)];

    public int GetOrdinal(string column) =>
        _ordinals.TryGetValue(column, out var ordinal)
            ? ordinal
            : throw new KeyNotFoundException($"The result has no column '{column}' (columns: {string.Join(", ", _columns.Select(c => c.Name))}).");

    /// <summary>The value converted to <typeparamref name="T"/> (numeric widening and narrowing are checked).</summary>
    public T Get<T>(string column) => Convert<T>(_values[GetOrdinal(column)], column);

    /// <inheritdoc cref="Get{T}(string)"/>
    public T Get<T>(int ordinal) => Convert<T>(_values[ordinal], _columns[ordinal].Name);

    public bool IsNull(string column) => _values[GetOrdinal(column)] is null;

    private static T Convert<T>(object? value, string column)
    {
        switch (value)
        {
            case T typed:
                return typed;
            case null when default(T) is null:
                return default!;
            case null:
                throw new InvalidCastException($"Column '{column}' is NULL and cannot be read as {typeof(T).Name}.");
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            if (target == typeof(DateTimeOffset) && value is DateTime dateTime)
            {
                return (T)(object)new DateTimeOffset(dateTime);
            }

            if (target == typeof(string))
            {
                return (T)(object)System.Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }

            return (T)System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCastException(
                $"Column '{column}' holds {value.GetType().Name} '{value}', which cannot be read as {typeof(T).Name}.", exception);
        }
    }
}
