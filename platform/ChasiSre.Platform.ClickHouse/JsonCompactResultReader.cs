using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// Reads ClickHouse's <c>JSONCompactEachRowWithNamesAndTypes</c> output (both backends ask for it, so
/// both return the same values) into typed rows.
/// </summary>
internal static class JsonCompactResultReader
{
    public const string Format = "JSONCompactEachRowWithNamesAndTypes";

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 256 };

    public static ClickHouseQueryResult Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read())
        {
            return ClickHouseQueryResult.Empty;
        }

        var names = ReadStringArray(ref reader);
        Next(ref reader);
        var typeNames = ReadStringArray(ref reader);
        if (names.Count != typeNames.Count)
        {
            throw new FormatException($"ClickHouse returned {names.Count} column names but {typeNames.Count} types.");
        }

        var columns = new ClickHouseColumn[names.Count];
        var types = new ClickHouseType[names.Count];
        var ordinals = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            columns[i] = new ClickHouseColumn(names[i], typeNames[i]);
            types[i] = ClickHouseType.Parse(typeNames[i]);
            ordinals.TryAdd(names[i], i);
        }

        var rows = new List<ClickHouseRow>();
        while (reader.Read())
        {
            Expect(ref reader, JsonTokenType.StartArray);
            var values = new object?[columns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                Next(ref reader);
                values[i] = ReadValue(ref reader, types[i]);
            }

            Next(ref reader);
            Expect(ref reader, JsonTokenType.EndArray);
            rows.Add(new ClickHouseRow(columns, ordinals, values));
        }

        return new ClickHouseQueryResult(columns, rows);
    }

    private static object? ReadValue(ref Utf8JsonReader reader, ClickHouseType type)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return type.Kind switch
            {
                // ClickHouse writes NaN and infinities as null unless output_format_json_quote_denormals is set.
                ClickHouseTypeKind.Float32 => float.NaN,
                ClickHouseTypeKind.Float64 => double.NaN,
                _ => null,
            };
        }

        return type.Kind switch
        {
            ClickHouseTypeKind.Nullable => ReadValue(ref reader, type.Arguments[0]),
            ClickHouseTypeKind.Int8 => sbyte.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Int16 => short.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Int32 => int.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Int64 => long.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Int128 => Int128.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.UInt8 => byte.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.UInt16 => ushort.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.UInt32 => uint.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.UInt64 => ulong.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.UInt128 => UInt128.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Int256 or ClickHouseTypeKind.UInt256 => BigInteger.Parse(Number(ref reader), CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Float32 => (float)ReadDouble(ref reader),
            ClickHouseTypeKind.Float64 => ReadDouble(ref reader),
            ClickHouseTypeKind.Decimal => decimal.Parse(Number(ref reader), NumberStyles.Float, CultureInfo.InvariantCulture),
            ClickHouseTypeKind.Bool => reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => Number(ref reader) is "1" or "true",
            },
            ClickHouseTypeKind.String => reader.GetString(),
            ClickHouseTypeKind.Uuid => reader.GetGuid(),
            ClickHouseTypeKind.Date => DateOnly.ParseExact(reader.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ClickHouseTypeKind.DateTime => ReadDateTime(ref reader, type.TimeZone),
            ClickHouseTypeKind.Array => ReadList(ref reader, type.Arguments[0]),
            ClickHouseTypeKind.Tuple => ReadTuple(ref reader, type.Arguments),
            ClickHouseTypeKind.Map => ReadMap(ref reader, type.Arguments[1]),
            ClickHouseTypeKind.Nothing => null,
            _ => reader.TokenType == JsonTokenType.String ? reader.GetString() : JsonElement.ParseValue(ref reader).GetRawText(),
        };
    }

    /// <summary>The text of a number, whether ClickHouse quoted it (64-bit and wider integers may be) or not.</summary>
    private static string Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => System.Text.Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => throw new FormatException($"Expected a number from ClickHouse, got {reader.TokenType}."),
    };

    private static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        return reader.GetString() switch
        {
            "nan" or "-nan" or "+nan" => double.NaN,
            "inf" or "+inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var text => double.Parse(text!, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Parses <c>YYYY-MM-DD hh:mm:ss[.fffffffff]</c> in the column's zone to UTC.</summary>
    private static DateTime ReadDateTime(ref Utf8JsonReader reader, TimeZoneInfo? zone)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            // date_time_output_format='unix_timestamp'
            return DateTime.UnixEpoch.AddSeconds(reader.GetDouble());
        }

        var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        DateTime local;
        if (text.Length >= 19 && text[4] == '-' && text[7] == '-' && text[10] == ' ' && text[13] == ':' && text[16] == ':')
        {
            local = new DateTime(
                Digits(text[..4]), Digits(text.Slice(5, 2)), Digits(text.Slice(8, 2)),
                Digits(text.Slice(11, 2)), Digits(text.Slice(14, 2)), Digits(text.Slice(17, 2)),
                DateTimeKind.Unspecified);
            if (text.Length > 20 && text[19] == '.')
            {
                var fraction = text[20..];
                long ticks = 0;
                for (var i = 0; i < 7; i++)
                {
                    ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
                }

                local = local.AddTicks(ticks);
            }
        }
        else
        {
            local = DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        return zone is null
            ? DateTime.SpecifyKind(local, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static int Digits(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out int value, out var consumed) && consumed == text.Length
            ? value
            : throw new FormatException($"Malformed date/time from ClickHouse: '{System.Text.Encoding.ASCII.GetString(text)}'.");

    private static object?[] ReadList(ref Utf8JsonReader reader, ClickHouseType element)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<object?>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return [.. items];
            }

            items.Add(ReadValue(ref reader, element));
        }
    }

    private static object?[] ReadTuple(ref Utf8JsonReader reader, IReadOnlyList<ClickHouseType> elements)
    {
        // Named tuples come as objects (output_format_json_named_tuples_as_objects), others as arrays.
        var asObject = reader.TokenType == JsonTokenType.StartObject;
        if (!asObject)
        {
            Expect(ref reader, JsonTokenType.StartArray);
        }

        var items = new object?[elements.Count];
        for (var i = 0; ; i++)
        {
            Next(ref reader);
            if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                return items;
            }

            if (asObject)
            {
                Next(ref reader);
            }

            var element = i < elements.Count ? elements[i] : ClickHouseType.Parse("String");
            var value = ReadValue(ref reader, element);
            if (i < items.Length)
            {
                items[i] = value;
            }
        }
    }

    private static Dictionary<string, object?> ReadMap(ref Utf8JsonReader reader, ClickHouseType valueType)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }

            var key = reader.GetString()!;
            Next(ref reader);
            map[key] = ReadValue(ref reader, valueType);
        }
    }

    private static List<string> ReadStringArray(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<string>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return items;
            }

            items.Add(reader.GetString() ?? string.Empty);
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("ClickHouse output ended in the middle of a row.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (reader.TokenType != expected)
        {
            throw new FormatException($"Unexpected ClickHouse output: expected {expected}, got {reader.TokenType}.");
        }
    }
}
