using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Api;

/// <summary>
/// A ClickHouse statement with named parameters: the text is written by the API only (constant fragments and the
/// validated database name), values reach it only through <see cref="Set(string, string)"/> and its overloads, which
/// render them as typed, escaped literals where the text says <c>{name}</c>. <c>IClickHouseStore</c> takes SQL text
/// without bound parameters, so this is where parameters are bound: in one pass over the text, so a value that
/// itself contains <c>{other}</c> is never substituted again.
/// </summary>
internal sealed partial class ClickHouseQuery
{
    private readonly StringBuilder text = new();
    private readonly Dictionary<string, string> literals = new(StringComparer.Ordinal);

    /// <summary>Appends constant SQL text (never a value).</summary>
    public ClickHouseQuery Append(string sql)
    {
        text.Append(sql);
        return this;
    }

    public ClickHouseQuery Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Bind(name, String(value));
    }

    /// <summary>An <c>Array(String)</c> literal (<c>['a', 'b']</c>, or an empty array).</summary>
    public ClickHouseQuery Set(string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Bind(name, "CAST([" + string.Join(", ", values.Order(StringComparer.Ordinal).Select(String)) + "] AS Array(String))");
    }

    /// <summary>A <c>DateTime64(3, 'UTC')</c> literal.</summary>
    public ClickHouseQuery Set(string name, DateTimeOffset value) =>
        Bind(name, $"toDateTime64('{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}', 3, 'UTC')");

    public ClickHouseQuery Set(string name, long value) => Bind(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The statement with every parameter rendered; throws when a placeholder has no value or a value no placeholder.</summary>
    public string Render()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var sql = Placeholder().Replace(text.ToString(), match =>
        {
            var name = match.Groups[1].Value;
            if (!literals.TryGetValue(name, out var literal))
            {
                throw new InvalidOperationException($"Query parameter {{{name}}} has no value.");
            }

            used.Add(name);
            return literal;
        });
        var unused = literals.Keys.Where(k => !used.Contains(k)).ToList();
        return unused.Count == 0 ? sql : throw new InvalidOperationException($"Query parameters without placeholder: {string.Join(", ", unused)}.");
    }

    public override string ToString() => Render();

    /// <summary>A ClickHouse string literal: quoted, with backslash, quote and control characters escaped.</summary>
    internal static string String(string value)
    {
        var literal = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    literal.Append(@"\\");
                    break;
                case '\'':
                    literal.Append(@"\'");
                    break;
                case '\n':
                    literal.Append(@"\n");
                    break;
                case '\r':
                    literal.Append(@"\r");
                    break;
                case '\t':
                    literal.Append(@"\t");
                    break;
                case '\0':
                    literal.Append(@"\0");
                    break;
                default:
                    if (c < ' ' || c == '\x7f')
                    {
                        literal.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}");
                    }
                    else
                    {
                        literal.Append(c);
                    }

                    break;
            }
        }

        return literal.Append('\'').ToString();
    }

    private ClickHouseQuery Bind(string name, string literal)
    {
        if (!ParameterName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a parameter name (lowercase letters, digits, '_').", nameof(name));
        }

        literals[name] = literal;
        return this;
    }

    [GeneratedRegex(@"\{([a-z][a-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
