namespace ChasiSre.Platform.ClickHouse;

internal enum ClickHouseTypeKind
{
    Other,
    Nothing,
    Int8,
    Int16,
    Int32,
    Int64,
    Int128,
    Int256,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    UInt128,
    UInt256,
    Float32,
    Float64,
    Decimal,
    Bool,
    String,
    Uuid,
    Date,
    DateTime,
    Nullable,
    Array,
    Map,
    Tuple,
}

/// <summary>A parsed ClickHouse type name such as <c>Map(LowCardinality(String), Array(Nullable(DateTime64(3, 'UTC'))))</c>.</summary>
internal sealed class ClickHouseType
{
    private ClickHouseType(ClickHouseTypeKind kind, IReadOnlyList<ClickHouseType> arguments, TimeZoneInfo? timeZone)
    {
        Kind = kind;
        Arguments = arguments;
        TimeZone = timeZone;
    }

    public ClickHouseTypeKind Kind { get; }

    /// <summary>Element types: Nullable/Array one, Map key and value, Tuple its elements.</summary>
    public IReadOnlyList<ClickHouseType> Arguments { get; }

    /// <summary>The zone of a DateTime/DateTime64 column; null means UTC (declare 'UTC' in schemas).</summary>
    public TimeZoneInfo? TimeZone { get; }

    public static ClickHouseType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var open = trimmed.IndexOf('(', StringComparison.Ordinal);
        var name = open < 0 ? trimmed : trimmed[..open].Trim();
        var arguments = open < 0 || !trimmed.EndsWith(')')
            ? []
            : SplitArguments(trimmed.AsSpan(open + 1, trimmed.Length - open - 2));

        return name switch
        {
            "LowCardinality" when arguments.Count == 1 => Parse(arguments[0]),
            "SimpleAggregateFunction" when arguments.Count == 2 => Parse(arguments[1]),
            "Nullable" when arguments.Count == 1 => new(ClickHouseTypeKind.Nullable, [Parse(arguments[0])], null),
            "Array" when arguments.Count == 1 => new(ClickHouseTypeKind.Array, [Parse(arguments[0])], null),
            "Map" when arguments.Count == 2 => new(ClickHouseTypeKind.Map, [Parse(arguments[0]), Parse(arguments[1])], null),
            "Tuple" => new(ClickHouseTypeKind.Tuple, [.. arguments.Select(a => Parse(StripElementName(a)))], null),
            "DateTime" or "DateTime64" => new(ClickHouseTypeKind.DateTime, [], ZoneOf(arguments)),
            _ => new(Simple(name), [], null),
        };
    }

    private static ClickHouseTypeKind Simple(string name) => name switch
    {
        "Nothing" => ClickHouseTypeKind.Nothing,
        "Int8" => ClickHouseTypeKind.Int8,
        "Int16" => ClickHouseTypeKind.Int16,
        "Int32" => ClickHouseTypeKind.Int32,
        "Int64" => ClickHouseTypeKind.Int64,
        "Int128" => ClickHouseTypeKind.Int128,
        "Int256" => ClickHouseTypeKind.Int256,
        "UInt8" => ClickHouseTypeKind.UInt8,
        "UInt16" => ClickHouseTypeKind.UInt16,
        "UInt32" => ClickHouseTypeKind.UInt32,
        "UInt64" => ClickHouseTypeKind.UInt64,
        "UInt128" => ClickHouseTypeKind.UInt128,
        "UInt256" => ClickHouseTypeKind.UInt256,
        "Float32" or "BFloat16" => ClickHouseTypeKind.Float32,
        "Float64" => ClickHouseTypeKind.Float64,
        "Decimal" or "Decimal32" or "Decimal64" or "Decimal128" or "Decimal256" => ClickHouseTypeKind.Decimal,
        "Bool" => ClickHouseTypeKind.Bool,
        "String" or "FixedString" or "Enum8" or "Enum16" or "IPv4" or "IPv6" => ClickHouseTypeKind.String,
        "UUID" => ClickHouseTypeKind.Uuid,
        "Date" or "Date32" => ClickHouseTypeKind.Date,
        _ => ClickHouseTypeKind.Other,
    };

    private static TimeZoneInfo? ZoneOf(IReadOnlyList<string> arguments)
    {
        var quoted = arguments.FirstOrDefault(a => a.StartsWith('\''));
        if (quoted is null)
        {
            return null;
        }

        var id = quoted.Trim('\'');
        if (id is "UTC" or "Etc/UTC" or "GMT" or "Etc/GMT")
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    /// <summary>Named tuple elements are written <c>name Type</c>.</summary>
    private static string StripElementName(string argument)
    {
        var depth = 0;
        for (var i = 0; i < argument.Length; i++)
        {
            switch (argument[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ' ' when depth == 0:
                    return argument[(i + 1)..].Trim();
            }
        }

        return argument;
    }

    private static List<string> SplitArguments(ReadOnlySpan<char> text)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    quoted = true;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim().ToString());
                    start = i + 1;
                    break;
            }
        }

        if (start < text.Length)
        {
            parts.Add(text[start..].Trim().ToString());
        }

        return parts;
    }
}
