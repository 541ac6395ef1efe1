using System.Net;
using System.Text.RegularExpressions;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Turns HTML into the Markdown the chunker understands: headings, list items, <c>pre</c> as fenced
/// code, paragraphs and line breaks; scripts and styles dropped, entities decoded, other tags removed.
/// </summary>
internal static partial class HtmlText
{
    public static string ToMarkdown(string html)
    {
        var text = ScriptOrStyle().Replace(html, string.Empty);
        text = Comment().Replace(text, string.Empty);
        // Code blocks are decoded once and set aside, so the tag stripping below cannot eat a decoded '<'.
        var code = new List<string>();
        text = Pre().Replace(text, m =>
        {
            code.Add($"\n\n```\n{WebUtility.HtmlDecode(Tag().Replace(m.Groups[1].Value, string.Empty)).Trim('\n')}\n```\n\n");
            return $"\u0001{code.Count - 1}\u0001";
        });
        text = Heading().Replace(text, m => $"\n\n{new string('#', m.Groups[1].Value[0] - '0')} {Tag().Replace(m.Groups[2].Value, string.Empty).Trim()}\n\n");
        text = ListItemOpen().Replace(text, "\n- ");
        text = BlockBoundary().Replace(text, "\n\n");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = CodePlaceholder().Replace(text, m => code[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
        return ManyBlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<pre\b[^>]*>(.*?)</pre\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Pre();

    [GeneratedRegex(@"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListItemOpen();

    [GeneratedRegex(@"</?(p|div|section|article|ul|ol|table|tr|blockquote)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockBoundary();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex("\u0001([0-9]+)\u0001", RegexOptions.CultureInvariant)]
    private static partial Regex CodePlaceholder();

    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*)+", RegexOptions.CultureInvariant)]
    private static partial Regex ManyBlankLines();
}
