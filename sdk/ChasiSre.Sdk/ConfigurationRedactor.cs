using System.Text.RegularExpressions;

namespace ChasiSre.Sdk;

/// <summary>
/// Removes secrets from configuration before it leaves the pod: values of secret-looking keys,
/// passwords embedded in URLs and <c>Password=</c> parts of connection strings.
/// </summary>
internal static partial class ConfigurationRedactor
{
    public const string Redacted = "[redacted]";

    public static Dictionary<string, string> Redact(IReadOnlyDictionary<string, string> values, IEnumerable<string> secretKeyPatterns, List<string> redactedKeys)
    {
        var patterns = secretKeyPatterns as IList<string> ?? [.. secretKeyPatterns];
        var result = new Dictionary<string, string>(values.Count, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var redacted = value ?? "";
            if (IsSecretKey(key, patterns))
            {
                redacted = Redacted;
            }
            else
            {
                redacted = UrlCredentials().Replace(redacted, "${prefix}" + Redacted + "@");
                redacted = ConnectionStringPassword().Replace(redacted, "${name}=" + Redacted);
            }

            if (!string.Equals(redacted, value, StringComparison.Ordinal))
            {
                redactedKeys.Add(key);
            }

            result[key] = redacted;
        }

        return result;
    }

    private static bool IsSecretKey(string key, IList<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.Length > 0 && key.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?<prefix>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]+:)[^@/\s]+@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"(?<name>\b(?:password|pwd))\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
