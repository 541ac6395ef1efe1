using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// The reversible half of the redaction for one request: every listed name, IP and registry path is
/// replaced by a typed token (<c>&lt;pod-3&gt;</c>), the same value always by the same token, numbered in
/// order of first appearance (so the same prompt gives the same redacted text). One regex pass over the
/// original text, so tokens are never rewritten again.
/// </summary>
internal sealed partial class Pseudonymizer
{
    /// <summary>Longest token text (<c>&lt;namespace-99999&gt;</c>), bounding how much a stream must hold back.</summary>
    public const int MaxTokenLength = 24;

    private readonly Regex _pattern;
    private readonly Dictionary<string, RedactionKind> _nameKinds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _canonicalNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(RedactionKind Kind, string Value), string> _tokens = [];
    private readonly Dictionary<string, string> _originals = new(StringComparer.Ordinal);
    private readonly Dictionary<RedactionKind, int> _counters = [];

    public Pseudonymizer(RedactionContext? context)
    {
        var alternatives = new List<string>
        {
            @"(?<registry>(?<![\w.@/-])(?:localhost|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)(?::\d{1,5})?(?:/[a-z0-9._-]+)*/)(?=[a-z0-9][a-z0-9._-]*(?::[\w][\w.-]*)?(?:@sha256:[a-f0-9]{64})?(?![\w./-]))",
            @"(?<ip4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))",
            @"(?<ip6>(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:]))",
        };

        if (context is not null)
        {
            foreach (var (kind, name) in context.Names)
            {
                _nameKinds.TryAdd(name, kind);
                _canonicalNames.TryAdd(name, name);
            }
        }

        if (_nameKinds.Count > 0)
        {
            var names = _nameKinds.Keys.OrderByDescending(n => n.Length).Select(Regex.Escape);
            alternatives.Add(@"(?<name>(?<![A-Za-z0-9])(?:" + string.Join('|', names) + @")(?![A-Za-z0-9]))");
        }

        _pattern = new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(2));
    }

    /// <summary>Distinct values replaced so far.</summary>
    public int Count => _originals.Count;

    public string Pseudonymize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _pattern.Replace(text, match =>
        {
            if (match.Groups["registry"].Success)
            {
                string prefix = match.Value[..^1];
                return Token(RedactionKind.Registry, prefix.ToLowerInvariant()) + "/";
            }

            if (match.Groups["ip4"].Success)
            {
                return IsIPv4(match.Value) ? Token(RedactionKind.Ip, match.Value) : match.Value;
            }

            if (match.Groups["ip6"].Success)
            {
                return IsIPv6(match.Value) ? Token(RedactionKind.Ip, match.Value.ToLowerInvariant()) : match.Value;
            }

            return Token(_nameKinds[match.Value], _canonicalNames[match.Value]);
        });
    }

    /// <summary>Puts the real values back for every token this instance issued; unknown tokens stay as they are.</summary>
    public string Restore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_originals.Count == 0 || !text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        return TokenPattern().Replace(text, m => _originals.TryGetValue(m.Value, out var original) ? original : m.Value);
    }

    /// <summary>Where a possibly incomplete token starts at the end of <paramref name="text"/>, or -1.</summary>
    public static int IncompleteTokenStart(ReadOnlySpan<char> text)
    {
        int lt = text.LastIndexOf('<');
        if (lt < 0 || text[lt..].Contains('>') || text.Length - lt >= MaxTokenLength)
        {
            return -1;
        }

        return TokenPrefix().IsMatch(text[lt..]) ? lt : -1;
    }

    private string Token(RedactionKind kind, string value)
    {
        if (_tokens.TryGetValue((kind, value), out var token))
        {
            return token;
        }

        int n = _counters[kind] = _counters.GetValueOrDefault(kind) + 1;
        token = new StringBuilder().Append('<').Append(kind.ToString().ToLowerInvariant()).Append('-').Append(n).Append('>').ToString();
        _tokens[(kind, value)] = token;
        _originals[token] = value;
        return token;
    }

    private static bool IsIPv4(string value) =>
        value.Split('.').All(octet => int.TryParse(octet, out int n) && n <= 255 && (octet.Length == 1 || octet[0] != '0'));

    private static bool IsIPv6(string value) =>
        (value.Contains("::", StringComparison.Ordinal) || value.Count(c => c == ':') == 7)
        && value.Any(char.IsAsciiHexDigit)
        && IPAddress.TryParse(value, out var address)
        && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    [GeneratedRegex(@"<(?:cluster|tenant|namespace|pod|node|host|ip|registry)-\d{1,6}>")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^<[a-z]*(?:-\d*)?$")]
    private static partial Regex TokenPrefix();
}
