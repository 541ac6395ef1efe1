using System.Globalization;
using System.Text;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// ClickHouse literals for values that come from records (tenant, cluster and object names): every value goes through
/// here, quoted and escaped, so no value can change a statement's structure. <see cref="ChasiSre.Platform.ClickHouse.IClickHouseStore"/>
/// takes SQL text only (no bound parameters); this is the one place that renders values into it.
/// </summary>
internal static class SqlLiteral
{
    /// <summary><c>'value'</c> with backslashes, quotes and control characters escaped (ClickHouse string literal rules).</summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2);
        text.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\'':
                    text.Append(@"\'");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '\r':
                    text.Append(@"\r");
                    break;
                case '\t':
                    text.Append(@"\t");
                    break;
                case '\0':
                    text.Append(@"\0");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('\'').ToString();
    }

    /// <summary><c>('a', 'b')</c> for an <c>IN</c> list; never empty (an empty set is <c>(NULL)</c>, which matches nothing).</summary>
    public static string List(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var items = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(String).ToList();
        return items.Count == 0 ? "(NULL)" : "(" + string.Join(", ", items) + ")";
    }

    /// <summary>A <c>DateTime64(3, 'UTC')</c> literal of <paramref name="at"/> (taken as UTC).</summary>
    public static string DateTime64(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        return $"toDateTime64('{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}', 3, 'UTC')";
    }
}
