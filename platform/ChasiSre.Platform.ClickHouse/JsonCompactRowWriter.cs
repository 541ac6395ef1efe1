using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// Writes rows as ClickHouse <c>JSONCompactEachRow</c> (one JSON array per line) for inserts through chDB.
/// Date/times are written as ISO 8601 UTC, which the insert reads with <c>date_time_input_format='best_effort'</c>.
/// </summary>
internal sealed class JsonCompactRowWriter : IDisposable
{
    public const string Format = "JSONCompactEachRow";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep UTF-8 as is; ClickHouse reads it, and the output is smaller than \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Utf8JsonWriter _json;

    public JsonCompactRowWriter(ArrayBufferWriter<byte> buffer)
    {
        _buffer = buffer;
        _json = new Utf8JsonWriter(buffer, WriterOptions);
    }

    /// <summary>
    /// <c>INSERT INTO t (`a`, `b`) FROM INFILE '...' SETTINGS ... FORMAT JSONCompactEachRow</c>: chDB parses a file
    /// several times faster than the same rows inlined after FORMAT in the statement text.
    /// </summary>
    public static string InsertFromFile(string table, IReadOnlyList<string> columns, string path)
    {
        var statement = new StringBuilder("INSERT INTO ").Append(table).Append(" (");
        for (var i = 0; i < columns.Count; i++)
        {
            statement.Append(i == 0 ? "" : ", ").Append(QuoteIdentifier(columns[i]));
        }

        return statement
            .Append(") FROM INFILE '").Append(path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal))
            .Append("' SETTINGS date_time_input_format = 'best_effort' FORMAT ").Append(Format)
            .ToString();
    }

    public static string QuoteIdentifier(string name) =>
        "`" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    public void Dispose() => _json.Dispose();

    public void WriteRow(object?[] row)
    {
        _json.Reset(_buffer);
        _json.WriteStartArray();
        foreach (var value in row)
        {
            WriteValue(value);
        }

        _json.WriteEndArray();
        _json.Flush();
        _buffer.Write("\n"u8);
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null or DBNull:
                _json.WriteNullValue();
                break;
            case string text:
                _json.WriteStringValue(text);
                break;
            case bool flag:
                _json.WriteBooleanValue(flag);
                break;
            case int number:
                _json.WriteNumberValue(number);
                break;
            case long number:
                _json.WriteNumberValue(number);
                break;
            case uint number:
                _json.WriteNumberValue(number);
                break;
            case ulong number:
                _json.WriteNumberValue(number);
                break;
            case short or ushort or sbyte or byte:
                _json.WriteNumberValue(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case double number:
                WriteFloat(number);
                break;
            case float number:
                WriteFloat(number);
                break;
            case decimal number:
                _json.WriteNumberValue(number);
                break;
            case Int128 or UInt128 or BigInteger:
                _json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!, skipInputValidation: true);
                break;
            case DateTime dateTime:
                WriteDateTime(dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : dateTime);
                break;
            case DateTimeOffset dateTimeOffset:
                WriteDateTime(dateTimeOffset.UtcDateTime);
                break;
            case DateOnly date:
                Span<byte> dateText = stackalloc byte[10];
                date.TryFormat(dateText, out var dateLength, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                _json.WriteStringValue(dateText[..dateLength]);
                break;
            case Guid guid:
                _json.WriteStringValue(guid);
                break;
            case char character:
                _json.WriteStringValue([character]);
                break;
            case Enum enumValue:
                _json.WriteStringValue(enumValue.ToString());
                break;
            case System.Net.IPAddress address:
                _json.WriteStringValue(address.ToString());
                break;
            case IDictionary map:
                _json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    _json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    WriteValue(entry.Value);
                }

                _json.WriteEndObject();
                break;
            case ITuple tuple:
                _json.WriteStartArray();
                for (var i = 0; i < tuple.Length; i++)
                {
                    WriteValue(tuple[i]);
                }

                _json.WriteEndArray();
                break;
            case byte[]:
                throw new NotSupportedException("byte[] values cannot be inserted through chDB's JSON input; insert text or a hex string and convert in SQL.");
            case IEnumerable items:
                _json.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(item);
                }

                _json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Cannot insert a {value.GetType().FullName} into ClickHouse; convert it to a string or number first.");
        }
    }

    private void WriteFloat(double number)
    {
        if (double.IsFinite(number))
        {
            _json.WriteNumberValue(number);
        }
        else
        {
            _json.WriteStringValue(double.IsNaN(number) ? "nan" : number > 0 ? "inf" : "-inf");
        }
    }

    private void WriteDateTime(DateTime utc)
    {
        Span<byte> text = stackalloc byte[36];
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        _json.WriteStringValue(text[..length]);
    }
}
