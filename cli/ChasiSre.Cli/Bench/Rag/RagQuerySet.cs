using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChasiSre.Cli.Bench.Rag;

/// <summary>One labelled query: what an SRE would type, and the citations (source#anchor) that answer it.</summary>
internal sealed record RagQuery(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("lang")] string Language,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("relevant")] IReadOnlyList<string> Relevant);

/// <summary>The labelled query set (<c>tests/rag/queries.json</c>).</summary>
internal sealed record RagQuerySet([property: JsonPropertyName("queries")] IReadOnlyList<RagQuery> Queries)
{
    public static RagQuerySet Load(string path)
    {
        using var stream = File.OpenRead(path);
        var set = JsonSerializer.Deserialize(stream, RagJsonContext.Default.RagQuerySet)
            ?? throw new InvalidDataException($"{path}: empty query set.");
        var bad = set.Queries.FirstOrDefault(q => string.IsNullOrWhiteSpace(q.Text) || q.Relevant is null || q.Relevant.Count == 0);
        if (bad is not null)
        {
            throw new InvalidDataException($"{path}: query {bad.Id} has no text or no relevant ids.");
        }

        return set;
    }
}

[JsonSerializable(typeof(RagQuerySet))]
internal sealed partial class RagJsonContext : JsonSerializerContext;
