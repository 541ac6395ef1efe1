using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// A parsed Kubernetes label selector (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>,
/// <c>a in (x,y)</c>, <c>a notin (x,y)</c>, <c>a</c>, <c>!a</c>), requirements ANDed.
/// </summary>
internal sealed class LabelSelector
{
    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <exception cref="FormatException">The selector does not parse.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = labels is not null && labels.TryGetPropertyValue(r.Key, out var node) ? node?.GetValue<string>() ?? "" : null;
            var ok = r.Op switch
            {
                Op.Exists => value is not null,
                Op.DoesNotExist => value is null,
                Op.Equals => value is not null && value == r.Values[0],
                Op.NotEquals => value is null || value != r.Values[0],
                Op.In => value is not null && r.Values.Contains(value),
                Op.NotIn => value is null || !r.Values.Contains(value),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
                default:
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            throw new FormatException("found '', expected: !, identifier, or 'end of string'");
        }

        if (part[0] == '!')
        {
            return new Requirement(ValidKey(part[1..].Trim(), part), Op.DoesNotExist, []);
        }

        var notEq = part.IndexOf("!=", StringComparison.Ordinal);
        if (notEq > 0)
        {
            return new Requirement(ValidKey(part[..notEq].Trim(), part), Op.NotEquals, [ValidValue(part[(notEq + 2)..].Trim(), part)]);
        }

        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            var value = part[(eq + 1)..];
            if (value.StartsWith('='))
            {
                value = value[1..];
            }

            return new Requirement(ValidKey(part[..eq].Trim(), part), Op.Equals, [ValidValue(value.Trim(), part)]);
        }

        var paren = part.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0 && part.EndsWith(')'))
        {
            var head = part[..paren].Trim();
            var space = head.LastIndexOf(' ');
            if (space > 0)
            {
                var key = ValidKey(head[..space].Trim(), part);
                var op = head[(space + 1)..] switch
                {
                    "in" => Op.In,
                    "notin" => Op.NotIn,
                    var other => throw new FormatException($"unable to parse requirement: found '{other}', expected: in, notin, =, ==, !=, gt, lt"),
                };
                var values = part[(paren + 1)..^1].Split(',').Select(v => ValidValue(v.Trim(), part)).ToList();
                return new Requirement(key, op, values);
            }
        }

        if (part.Contains(' ', StringComparison.Ordinal) || part.Contains('(', StringComparison.Ordinal))
        {
            throw new FormatException($"unable to parse requirement: '{part}'");
        }

        return new Requirement(ValidKey(part, part), Op.Exists, []);
    }

    private static string ValidKey(string key, string part)
    {
        if (key.Length == 0 || key.Length > 316 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\" in '{part}'");
        }

        return key;
    }

    private static string ValidValue(string value, string part)
    {
        if (value.Length > 63 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new FormatException($"unable to parse requirement: invalid label value \"{value}\" in '{part}'");
        }

        return value;
    }
}
