namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// The subset of YAML front matter runbooks use: <c>key: value</c> lines, inline lists
/// (<c>[a, b]</c>) and block lists (<c>- a</c>). Keys read: <c>title</c>, <c>categories</c>, <c>tags</c>.
/// </summary>
internal sealed record FrontMatter(string? Title, IReadOnlyList<string> Categories)
{
    public static FrontMatter Empty { get; } = new(null, []);

    /// <summary>Parses and removes the front matter at the start of <paramref name="text"/>, if any.</summary>
    public static FrontMatter Parse(ref string text)
    {
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return Empty;
        }

        int end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            return Empty;
        }

        var lines = text[4..end].Split('\n');
        int after = text.IndexOf('\n', end + 4);
        text = after < 0 ? string.Empty : text[(after + 1)..];

        string? title = null;
        var categories = new List<string>();
        string? listKey = null;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (listKey is not null && line.TrimStart().StartsWith("- ", StringComparison.Ordinal))
            {
                categories.Add(Unquote(line.TrimStart()[2..]));
                continue;
            }

            listKey = null;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "title")
            {
                title = Unquote(value);
            }
            else if (key is "categories" or "tags")
            {
                if (value.Length == 0)
                {
                    listKey = key;
                }
                else
                {
                    categories.AddRange(value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Unquote));
                }
            }
        }

        return new FrontMatter(string.IsNullOrWhiteSpace(title) ? null : title, categories.Where(c => c.Length > 0).ToArray());
    }

    private static string Unquote(string value) => value.Trim().Trim('"', '\'').Trim();
}
