using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Cuts a document by its structure: one chunk per heading section, split between blocks
/// (paragraphs, lists, fenced code, tables) when it is longer than
/// <see cref="ChunkingOptions.MaxChunkChars"/>; a code block is never cut between its fences unless
/// it alone is too long. Markdown front matter (<c>---</c> … <c>---</c>) gives the title and the
/// category tags (<c>categories: [CrashLoop, OOMKilled]</c>).
/// </summary>
public sealed partial class StructuralChunker(ChunkingOptions? options = null)
{
    private readonly ChunkingOptions _options = options ?? new ChunkingOptions();

    /// <summary>The chunks of <paramref name="document"/>, in document order; none when it holds no text.</summary>
    public IReadOnlyList<KnowledgeChunk> Chunk(KnowledgeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (document.Format == DocumentFormat.Html)
        {
            text = HtmlText.ToMarkdown(text);
        }

        var frontMatter = document.Format == DocumentFormat.Markdown ? FrontMatter.Parse(ref text) : FrontMatter.Empty;
        var categories = Categories(frontMatter, document.Metadata);
        var allSections = document.Format == DocumentFormat.PlainText ? PlainSections(text) : MarkdownSections(text);
        var title = frontMatter.Title ?? allSections.FirstOrDefault(s => s.Level == 1)?.Heading ?? Path.GetFileNameWithoutExtension(document.SourceId);
        var sections = allSections.Where(s => s.Blocks.Count > 0);

        string tenant = document.Tenant ?? KnowledgeScope.SharedTenant;
        var visibility = document.Tenant is null ? KnowledgeVisibility.Shared : document.Visibility;
        string idPrefix = visibility == KnowledgeVisibility.Private ? $"{tenant}:{document.SourceId}" : document.SourceId;

        var chunks = new List<KnowledgeChunk>();
        var anchorCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var anchor = UniqueAnchor(section.Heading is null ? HeadingAnchor.Slug(title) : HeadingAnchor.Slug(section.Heading), anchorCounts);
            var path = section.Path.Count == 0 ? title : string.Join(" › ", section.Path[0] == title ? section.Path : section.Path.Prepend(title));
            var parts = Pack(section.Blocks);
            for (int i = 0; i < parts.Count; i++)
            {
                var body = parts[i];
                if (string.IsNullOrWhiteSpace(body))
                {
                    continue;
                }

                var id = i == 0 ? $"{idPrefix}#{anchor}" : $"{idPrefix}#{anchor}~{(i + 1).ToString(CultureInfo.InvariantCulture)}";
                chunks.Add(new KnowledgeChunk(id, document.SourceId, tenant, visibility, path, anchor, body,
                    LanguageDetector.Detect($"{section.Heading} {body}"), categories, ContentHash(body)));
            }
        }

        return chunks;
    }

    /// <summary>SHA-256 (lower-case hex) of <paramref name="text"/> with whitespace runs collapsed.</summary>
    public static string ContentHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Whitespace().Replace(text.Trim(), " ");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    private static string[] Categories(FrontMatter frontMatter, IReadOnlyDictionary<string, string> metadata)
    {
        var categories = new List<string>(frontMatter.Categories);
        if (metadata.TryGetValue("categories", out var listed))
        {
            categories.AddRange(listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return categories.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string UniqueAnchor(string anchor, Dictionary<string, int> counts)
    {
        if (!counts.TryGetValue(anchor, out var seen))
        {
            counts[anchor] = 1;
            return anchor;
        }

        counts[anchor] = seen + 1;
        return $"{anchor}-{seen.ToString(CultureInfo.InvariantCulture)}";
    }

    private List<string> Pack(List<string> blocks)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var block in blocks.SelectMany(SplitOversized))
        {
            if (current.Length > 0 && current.Length + block.Length + 2 > _options.MaxChunkChars)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append("\n\n");
            }

            current.Append(block);
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString().Trim());
        }

        return parts;
    }

    private IEnumerable<string> SplitOversized(string block)
    {
        if (block.Length <= _options.MaxChunkChars)
        {
            yield return block;
            yield break;
        }

        var current = new StringBuilder();
        foreach (var line in block.Split('\n'))
        {
            var piece = line;
            while (piece.Length > _options.MaxChunkChars)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                yield return piece[.._options.MaxChunkChars];
                piece = piece[_options.MaxChunkChars..];
            }

            if (current.Length > 0 && current.Length + piece.Length + 1 > _options.MaxChunkChars)
            {
                yield return current.ToString();
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append('\n');
            }

            current.Append(piece);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static List<Section> PlainSections(string text)
    {
        var section = new Section(null, 0, []);
        foreach (var paragraph in BlankLines().Split(text))
        {
            if (!string.IsNullOrWhiteSpace(paragraph))
            {
                section.Blocks.Add(paragraph.Trim());
            }
        }

        return [section];
    }

    private static List<Section> MarkdownSections(string text)
    {
        var sections = new List<Section>();
        var path = new List<(int Level, string Heading)>();
        var current = new Section(null, 0, []);
        var block = new StringBuilder();
        BlockKind kind = BlockKind.None;
        string? fence = null;

        void EndBlock()
        {
            if (block.Length > 0 && !string.IsNullOrWhiteSpace(block.ToString()))
            {
                current.Blocks.Add(block.ToString().TrimEnd());
            }

            block.Clear();
            kind = BlockKind.None;
        }

        foreach (var line in text.Split('\n'))
        {
            if (fence is not null)
            {
                block.Append('\n').Append(line);
                if (line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0)
                {
                    fence = null;
                    EndBlock();
                }

                continue;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                EndBlock();
                fence = trimmed[..3];
                kind = BlockKind.Code;
                block.Append(line);
                continue;
            }

            var heading = HeadingLine().Match(line);
            if (heading.Success)
            {
                EndBlock();
                sections.Add(current);
                int level = heading.Groups[1].Length;
                var headingText = heading.Groups[2].Value.Trim();
                path.RemoveAll(p => p.Level >= level);
                path.Add((level, headingText));
                current = new Section(headingText, level, []) { Path = path.Select(p => p.Heading).ToList() };
                continue;
            }

            if (trimmed.Length == 0)
            {
                if (kind != BlockKind.List)
                {
                    EndBlock();
                }
                else
                {
                    block.Append('\n');
                }

                continue;
            }

            var lineKind = ListItem().IsMatch(line) ? BlockKind.List
                : trimmed.StartsWith('|') ? BlockKind.Table
                : kind == BlockKind.List && char.IsWhiteSpace(line[0]) ? BlockKind.List
                : BlockKind.Paragraph;
            if (kind != BlockKind.None && lineKind != kind)
            {
                EndBlock();
            }

            if (block.Length > 0)
            {
                block.Append('\n');
            }

            block.Append(line);
            kind = lineKind;
        }

        EndBlock();
        sections.Add(current);
        return sections;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.+?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^\s*([-*+]|\d{1,3}[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\n\s*\n", RegexOptions.CultureInvariant)]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    private enum BlockKind
    {
        None,
        Paragraph,
        List,
        Code,
        Table,
    }

    private sealed record Section(string? Heading, int Level, List<string> Blocks)
    {
        public List<string> Path { get; init; } = [];
    }
}
