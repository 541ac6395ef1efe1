using System.Text;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Splits a SQL script into statements at top-level semicolons.</summary>
/// <remarks>
/// Knows ClickHouse's lexical rules that matter for that: '...' strings (with \ escapes and ''),
/// "..." and `...` identifiers, -- and # line comments, /* */ block comments and $$ heredocs.
/// Comment-only fragments are dropped; comments inside a statement are kept.
/// </remarks>
internal static class SqlScript
{
    public static IReadOnlyList<string> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<string>();
        var start = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            switch (c)
            {
                case '\'' or '"' or '`':
                    i = SkipQuoted(script, i, c);
                    break;
                case '-' when Next(script, i) == '-':
                case '#':
                    i = SkipLine(script, i);
                    break;
                case '/' when Next(script, i) == '*':
                    i = SkipBlock(script, i);
                    break;
                case '$' when Next(script, i) == '$':
                    var close = script.IndexOf("$$", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? script.Length : close + 2;
                    break;
                case ';':
                    Add(statements, script[start..i]);
                    start = ++i;
                    break;
                default:
                    i++;
                    break;
            }
        }

        Add(statements, script[start..]);
        return statements;
    }

    /// <summary>True when the text holds nothing but whitespace and comments.</summary>
    public static bool IsBlank(string fragment)
    {
        var i = 0;
        while (i < fragment.Length)
        {
            var c = fragment[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if ((c == '-' && Next(fragment, i) == '-') || c == '#')
            {
                i = SkipLine(fragment, i);
            }
            else if (c == '/' && Next(fragment, i) == '*')
            {
                i = SkipBlock(fragment, i);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static void Add(List<string> statements, string fragment)
    {
        if (!IsBlank(fragment))
        {
            statements.Add(fragment.Trim());
        }
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static int SkipQuoted(string text, int i, char quote)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                // A doubled quote is an escaped quote.
                if (Next(text, i) == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return text.Length;
    }

    private static int SkipLine(string text, int i)
    {
        var end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end + 1;
    }

    private static int SkipBlock(string text, int i)
    {
        var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + 2;
    }

    /// <summary>Normalizes line endings so a checkout with CRLF hashes like one with LF.</summary>
    public static string NormalizeLineEndings(string text) =>
        text.Contains('\r', StringComparison.Ordinal)
            ? new StringBuilder(text).Replace("\r\n", "\n").Replace('\r', '\n').ToString()
            : text;
}
