using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Executor;

/// <summary>Shell-style globs over names: <c>*</c> any run of characters (including none), <c>?</c> exactly one; case-sensitive, whole string.</summary>
internal static class Glob
{
    public static bool MatchesAny(IReadOnlyList<string> patterns, string value) =>
        patterns.Count == 0 || patterns.Any(p => Matches(p, value));

    public static bool Matches(string pattern, string value)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            return string.Equals(pattern, value, StringComparison.Ordinal);
        }

        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        regex.Append('$');
        return Regex.IsMatch(value, regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
