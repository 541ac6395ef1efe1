using System.Text.RegularExpressions;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// Replaces k8sgpt's sensitive values with their masks. k8sgpt keeps the real value in the error
/// text and lists it with a mask beside it; only the masked form may be published.
/// </summary>
public static class K8sGptMasking
{
    /// <summary>What replaces a sensitive value that came without a mask.</summary>
    public const string Placeholder = "***";

    /// <summary><paramref name="text"/> with every value of <paramref name="sensitive"/> replaced in one pass (longest
    /// value first at each position, so a value that contains another is replaced whole and a mask is never masked again).</summary>
    public static string Mask(string text, IEnumerable<K8sGptSensitive> sensitive)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sensitive);
        var masks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in sensitive.Where(s => !string.IsNullOrEmpty(s.Unmasked)))
        {
            masks.TryAdd(entry.Unmasked, string.IsNullOrEmpty(entry.Masked) ? Placeholder : entry.Masked);
        }

        if (masks.Count == 0 || text.Length == 0)
        {
            return text;
        }

        var pattern = string.Join('|', masks.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape));
        return Regex.Replace(text, pattern, match => masks[match.Value], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
