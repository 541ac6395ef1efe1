using System.Text.RegularExpressions;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Removes secrets outright (they are never restored): PEM blocks, JWTs, bearer/basic credentials,
/// passwords in URLs (<c>postgres://user:pw@host</c>), <c>password=</c> / <c>token:</c> / <c>api_key</c>-style pairs and high-entropy strings of 32+ characters.
/// </summary>
internal static partial class SecretScrubber
{
    public const string Placeholder = "[REDACTED]";

    private const double MinimumEntropyBitsPerChar = 3.5;

    public static string Scrub(string text, out int removed)
    {
        int count = 0;
        text = PemBlock().Replace(text, _ => { count++; return Placeholder; });
        text = Jwt().Replace(text, _ => { count++; return Placeholder; });
        text = UrlCredential().Replace(text, m => { count++; return m.Groups["prefix"].Value + Placeholder + "@"; });
        text = AuthorizationCredential().Replace(text, m => { count++; return m.Groups["scheme"].Value + " " + Placeholder; });
        text = SecretPair().Replace(text, m => { count++; return m.Groups["key"].Value + m.Groups["sep"].Value + Placeholder; });
        text = LongToken().Replace(text, m =>
        {
            if (!LooksRandom(m.Value))
            {
                return m.Value;
            }

            count++;
            return Placeholder;
        });
        removed = count;
        return text;
    }

    /// <summary>Random-looking: letters and digits mixed, not a lowercase DNS-style name or path (namespace/pod), not a hex digest, high Shannon entropy.</summary>
    internal static bool LooksRandom(string value)
    {
        if (DnsLikeName().IsMatch(value) || HexOnly().IsMatch(value))
        {
            return false;
        }

        bool hasDigit = false, hasLetter = false;
        Span<int> counts = stackalloc int[128];
        int total = 0;
        foreach (char c in value)
        {
            hasDigit |= char.IsAsciiDigit(c);
            hasLetter |= char.IsAsciiLetter(c);
            if (c < 128)
            {
                counts[c]++;
                total++;
            }
        }

        if (!hasDigit || !hasLetter || total == 0)
        {
            return false;
        }

        double entropy = 0;
        foreach (int n in counts)
        {
            if (n > 0)
            {
                double p = (double)n / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy >= MinimumEntropyBitsPerChar;
    }

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|\z)")]
    private static partial Regex PemBlock();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<prefix>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:)[^@\s/]+@")]
    private static partial Regex UrlCredential();

    [GeneratedRegex(@"(?<scheme>\b(?:[Bb]earer|[Bb]asic|BEARER|BASIC))\s+[A-Za-z0-9._~+/=-]{8,}")]
    private static partial Regex AuthorizationCredential();

    [GeneratedRegex(@"(?<key>\b[\w.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)""?)(?<sep>\s*[:=]\s*""?)(?<value>[^\s""',;&]+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_=-])")]
    private static partial Regex LongToken();

    [GeneratedRegex(@"^[a-z0-9]+(?:[-./_][a-z0-9]+)+$")]
    private static partial Regex DnsLikeName();

    [GeneratedRegex(@"^[a-fA-F0-9]+$")]
    private static partial Regex HexOnly();
}
