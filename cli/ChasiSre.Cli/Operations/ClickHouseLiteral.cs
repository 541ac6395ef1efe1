using System.Globalization;
using System.Text;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// Values written into the operations commands' ClickHouse statements (<c>IClickHouseStore</c> takes SQL text without
/// bound parameters): a quoted string with backslash, quote and control characters escaped, a
/// <c>DateTime64(3, 'UTC')</c>. Inputs are validated before they get here; this is the second line.
/// </summary>
internal static class ClickHouseLiteral
{
    public static string Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => literal.Append(@"\\"),
                '\'' => literal.Append(@"\'"),
                < ' ' or '\x7f' => literal.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => literal.Append(c),
            };
        }

        return literal.Append('\'').ToString();
    }

    public static string Of(DateTimeOffset value) =>
        $"toDateTime64('{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}', 3, 'UTC')";
}
