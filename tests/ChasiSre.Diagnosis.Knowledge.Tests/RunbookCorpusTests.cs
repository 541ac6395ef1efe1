using System.Text.Json;

namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>The starter runbooks and the labelled query set of <c>chasi bench rag</c>.</summary>
public sealed class RunbookCorpusTests
{
    private static readonly string[] Categories =
    [
        "CrashLoop", "ImagePull", "OOMKilled", "Unschedulable", "ProbeFailure", "ConfigError", "Storage", "NetworkService", "DNS",
        "NodeFailure", "NodePressure", "RolloutStuck", "JobFailed", "QuotaExceeded", "AdmissionRejected", "VClusterSync",
        "VClusterControlPlane", "CertificateExpiry", "Autoscaling", "MetricAnomaly", "BusinessDegradation",
    ];

    private static readonly string[] Languages = ["en", "zh"];

    private static string RunbookDirectory => Path.Combine(AppContext.BaseDirectory, "runbooks");

    private static List<KnowledgeChunk> ChunkAll() =>
        Directory.EnumerateFiles(RunbookDirectory, "*.md")
            .SelectMany(f => new StructuralChunker().Chunk(new KnowledgeDocument($"runbooks/{Path.GetFileName(f)}", File.ReadAllText(f))))
            .ToList();

    [Fact]
    public void Runbooks_StarterSet_AtLeast25CoveringEveryCategoryWithSomeInChinese()
    {
        var chunks = ChunkAll();
        var documents = chunks.GroupBy(c => c.SourceId).ToArray();

        Assert.True(documents.Length >= 25, $"{documents.Length} runbooks");
        Assert.Empty(Categories.Except(chunks.SelectMany(c => c.Categories)));
        Assert.Empty(chunks.SelectMany(c => c.Categories).Except(Categories));
        Assert.All(documents, d => Assert.NotEmpty(d.First().Categories));
        Assert.True(documents.Count(d => d.Count(c => c.Language == "zh") * 2 > d.Count()) >= 5, "at least five runbooks mostly in Chinese");
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void QuerySet_EveryRelevantCitationExists_AtLeast60QueriesInBothLanguages()
    {
        var citations = ChunkAll().Select(c => c.Citation).ToHashSet(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rag", "queries.json")));
        var queries = json.RootElement.GetProperty("queries").EnumerateArray().ToArray();

        Assert.True(queries.Length >= 60, $"{queries.Length} queries");
        Assert.True(queries.Count(q => q.GetProperty("lang").GetString() == "zh") >= 15);
        Assert.Equal(queries.Length, queries.Select(q => q.GetProperty("id").GetString()).Distinct().Count());
        var missing = queries
            .SelectMany(q => q.GetProperty("relevant").EnumerateArray().Select(r => r.GetString()!))
            .Where(r => !citations.Contains(r))
            .ToArray();
        Assert.Empty(missing);
        Assert.All(queries, q => Assert.Contains(q.GetProperty("lang").GetString(), Languages));
    }
}
