using System.Globalization;
using System.Text;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// ClickHouse literals for values that reach SQL text (<see cref="ChasiSre.Platform.ClickHouse.IClickHouseStore"/> takes no
/// bound parameters): every value is quoted and escaped here, so no value can change a statement's structure.
/// </summary>
internal static class SqlText
{
    /// <summary><c>'value'</c> with backslashes, quotes and control characters escaped.</summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\'' => text.Append(@"\'"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                '\0' => text.Append(@"\0"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => text.Append(c),
            };
        }

        return text.Append('\'').ToString();
    }

    /// <summary><c>('a', 'b')</c> for an <c>IN</c> list; an empty set is <c>(NULL)</c>, which matches nothing.</summary>
    public static string List(IEnumerable<string> values)
    {
        var items = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(String).ToList();
        return items.Count == 0 ? "(NULL)" : "(" + string.Join(", ", items) + ")";
    }

    /// <summary>A <c>DateTime64(3, 'UTC')</c> literal.</summary>
    public static string DateTime64(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        return $"toDateTime64('{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}', 3, 'UTC')";
    }
}
