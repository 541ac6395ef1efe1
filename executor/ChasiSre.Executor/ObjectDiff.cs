using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Executor;

/// <summary>
/// A readable unified diff of a Kubernetes object between two states (now, and the server-side dry run's answer):
/// both are rendered as YAML-ish text — <c>metadata.managedFields</c> dropped, secret values redacted
/// (<see cref="SecretRedaction"/>) — and compared line by line with three lines of context.
/// </summary>
public static class ObjectDiff
{
    private const int Context = 3;
    private const int MaxLines = 4000;

    /// <summary>
    /// The diff from <paramref name="before"/> to <paramref name="after"/> (either may be null: a create or a delete);
    /// empty when they render the same.
    /// </summary>
    public static string Unified(string label, JsonObject? before, JsonObject? after)
    {
        ArgumentNullException.ThrowIfNull(label);
        var a = Render(before);
        var b = Render(after);
        if (a.SequenceEqual(b, StringComparer.Ordinal))
        {
            return "";
        }

        var text = new StringBuilder()
            .Append("--- ").Append(label).Append(before is null ? " (absent)" : " (current)").Append('\n')
            .Append("+++ ").Append(label).Append(after is null ? " (deleted)" : " (dry run)").Append('\n');
        if (a.Count > MaxLines || b.Count > MaxLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"@@ objects too large to diff ({a.Count} and {b.Count} lines) @@\n");
            return text.ToString();
        }

        var ops = Lcs(a, b);
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before this change to Context lines after the last change within reach.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                var next = end;
                while (next < ops.Count && ops[next].Kind == ' ')
                {
                    next++;
                }

                if (next >= ops.Count || next - end > 2 * Context)
                {
                    break;
                }

                end = next;
                while (end < ops.Count && ops[end].Kind != ' ')
                {
                    end++;
                }
            }

            var stop = Math.Min(ops.Count, end + Context);
            var hunk = ops.GetRange(start, stop - start);
            var aStart = hunk.FirstOrDefault(o => o.Kind != '+').A;
            var bStart = hunk.FirstOrDefault(o => o.Kind != '-').B;
            text.Append(CultureInfo.InvariantCulture, $"@@ -{aStart + 1},{hunk.Count(o => o.Kind != '+')} +{bStart + 1},{hunk.Count(o => o.Kind != '-')} @@\n");
            foreach (var op in hunk)
            {
                text.Append(op.Kind).Append(op.Line).Append('\n');
            }

            i = stop;
        }

        return text.ToString();
    }

    /// <summary>The YAML-ish lines of <paramref name="obj"/> (redacted, without managedFields); none for null.</summary>
    public static IReadOnlyList<string> Render(JsonObject? obj)
    {
        var lines = new List<string>();
        if (obj is null)
        {
            return lines;
        }

        var clean = SecretRedaction.Redact(obj);
        if (clean["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
        }

        WriteMap(clean, 0, lines);
        return lines;
    }

    private static void WriteMap(JsonObject map, int indent, List<string> lines)
    {
        var pad = new string(' ', indent);
        foreach (var (key, value) in map)
        {
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    lines.Add($"{pad}{Key(key)}:");
                    WriteMap(child, indent + 2, lines);
                    break;
                case JsonArray { Count: > 0 } list:
                    lines.Add($"{pad}{Key(key)}:");
                    WriteList(list, indent, lines);
                    break;
                default:
                    lines.Add($"{pad}{Key(key)}: {Scalar(value)}");
                    break;
            }
        }
    }

    private static void WriteList(JsonArray list, int indent, List<string> lines)
    {
        var pad = new string(' ', indent);
        foreach (var item in list)
        {
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    {
                        var nested = new List<string>();
                        WriteMap(child, indent + 2, nested);
                        lines.Add($"{pad}- {nested[0][(indent + 2)..]}");
                        lines.AddRange(nested.Skip(1));
                        break;
                    }

                case JsonArray { Count: > 0 } inner:
                    lines.Add($"{pad}-");
                    WriteList(inner, indent + 2, lines);
                    break;
                default:
                    lines.Add($"{pad}- {Scalar(item)}");
                    break;
            }
        }
    }

    private static string Key(string key) => NeedsQuotes(key) ? JsonSerializer.Serialize(key, DiffJsonContext.Default.String) : key;

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is var s && (s == SecretRedaction.Redacted || !NeedsQuotes(s)) ? s : JsonSerializer.Serialize(s, DiffJsonContext.Default.String),
        _ => value.ToJsonString(),
    };

    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || s.Any(c => char.IsControl(c) || c is ':' or '#' or '"' or '\'' or '{' or '}' or '[' or ']' or ',' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`')
        || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]) || s[0] == '-'
        || s is "true" or "false" or "null" or "~" or "yes" or "no" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private readonly record struct Op(char Kind, string Line, int A, int B);

    private static List<Op> Lcs(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var n = a.Count;
        var m = b.Count;
        var table = new int[n + 1, m + 1];
        for (var x = n - 1; x >= 0; x--)
        {
            for (var y = m - 1; y >= 0; y--)
            {
                table[x, y] = string.Equals(a[x], b[y], StringComparison.Ordinal) ? table[x + 1, y + 1] + 1 : Math.Max(table[x + 1, y], table[x, y + 1]);
            }
        }

        var ops = new List<Op>(n + m);
        int i = 0, j = 0;
        while (i < n && j < m)
        {
            if (string.Equals(a[i], b[j], StringComparison.Ordinal))
            {
                ops.Add(new Op(' ', a[i], i++, j++));
            }
            else if (table[i + 1, j] >= table[i, j + 1])
            {
                ops.Add(new Op('-', a[i], i++, j));
            }
            else
            {
                ops.Add(new Op('+', b[j], i, j++));
            }
        }

        while (i < n)
        {
            ops.Add(new Op('-', a[i], i++, j));
        }

        while (j < m)
        {
            ops.Add(new Op('+', b[j], i, j++));
        }

        return ops;
    }
}
