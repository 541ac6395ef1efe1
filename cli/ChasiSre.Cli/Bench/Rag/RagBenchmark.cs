using System.Diagnostics;
using System.Globalization;
using ChasiSre.Diagnosis.Knowledge;
using Microsoft.Extensions.AI;

namespace ChasiSre.Cli.Bench.Rag;

/// <summary>
/// <c>chasi bench rag</c>: indexes the runbooks into a fresh embedded knowledge base, runs every
/// labelled query with BM25 only, vectors only and hybrid fusion, and reports recall@5 and MRR
/// (over the top 10) per method, ingest throughput and hybrid query latency. A result counts as
/// relevant when its citation (source#anchor) is in the query's list. The baseline is the better
/// single method; the ratio is hybrid over it.
/// </summary>
internal sealed class RagBenchmark(string runbooks, string queries, IEmbeddingGenerator<string, Embedding<float>> embeddings, KnowledgeBaseOptions? options = null, TextWriter? misses = null)
{
    private const int RecallDepth = 5;
    private const int MrrDepth = 10;

    public async Task<BenchmarkReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var set = RagQuerySet.Load(queries);
        var store = Path.Combine(Path.GetTempPath(), $"chasi-bench-rag-{Guid.NewGuid():N}");
        var kbOptions = options ?? new KnowledgeBaseOptions();
        kbOptions.DataDirectory = store;
        try
        {
            await using var kb = await KnowledgeBase.OpenAsync(kbOptions, embeddings, cancellationToken: cancellationToken);
            var ingest = Stopwatch.StartNew();
            var report = await kb.AddPathsAsync([runbooks], cancellationToken: cancellationToken);
            ingest.Stop();
            var failed = report.Results.FirstOrDefault(r => r.Outcome == IngestOutcome.Failed);
            if (failed is not null)
            {
                throw new InvalidDataException($"{failed.Source}: {failed.Reason}");
            }

            // Warm up the embedder and the searchers so the first query does not carry one-off costs.
            await kb.SearchAsync(new KnowledgeQuery("warm up", Top: RecallDepth), cancellationToken);

            var scores = new Dictionary<RetrievalMode, (List<double> Recall, List<double> Rr)>();
            var byLanguage = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var prefix = new Dictionary<RetrievalMode, string> { [RetrievalMode.Hybrid] = "hybrid", [RetrievalMode.Bm25] = "bm25", [RetrievalMode.Vector] = "vector" };
            var latencies = new List<double>();
            foreach (var mode in new[] { RetrievalMode.Hybrid, RetrievalMode.Bm25, RetrievalMode.Vector })
            {
                var recall = new List<double>();
                var rr = new List<double>();
                foreach (var query in set.Queries)
                {
                    var timer = Stopwatch.StartNew();
                    var hits = await kb.SearchAsync(new KnowledgeQuery(query.Text, Top: MrrDepth, Mode: mode), cancellationToken);
                    timer.Stop();
                    var relevant = query.Relevant.ToHashSet(StringComparer.Ordinal);
                    var citations = hits.Select(h => h.Chunk.Citation).ToArray();
                    double r = citations.Take(RecallDepth).Distinct(StringComparer.Ordinal).Count(relevant.Contains) / (double)relevant.Count;
                    int first = Array.FindIndex(citations, relevant.Contains);
                    if (r < 1 && misses is not null)
                    {
                        await misses.WriteLineAsync($"{mode,-6} {query.Id} recall={r:F2} \"{query.Text}\" want [{string.Join(", ", query.Relevant)}] got [{string.Join(", ", citations.Take(RecallDepth))}]");
                    }

                    recall.Add(r);
                    rr.Add(first < 0 ? 0 : 1.0 / (first + 1));
                    if (mode == RetrievalMode.Hybrid)
                    {
                        latencies.Add(timer.Elapsed.TotalMilliseconds);
                    }

                    var key = $"{prefix[mode]}_recall_at_5_{query.Language}";
                    (byLanguage.TryGetValue(key, out var list) ? list : byLanguage[key] = []).Add(r);
                }

                scores[mode] = (recall, rr);
            }

            latencies.Sort();
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["hybrid_recall_at_5"] = scores[RetrievalMode.Hybrid].Recall.Average(),
                ["bm25_recall_at_5"] = scores[RetrievalMode.Bm25].Recall.Average(),
                ["vector_recall_at_5"] = scores[RetrievalMode.Vector].Recall.Average(),
                ["mrr"] = scores[RetrievalMode.Hybrid].Rr.Average(),
                ["bm25_mrr"] = scores[RetrievalMode.Bm25].Rr.Average(),
                ["vector_mrr"] = scores[RetrievalMode.Vector].Rr.Average(),
                ["ingest_chunks_per_s"] = report.ChunksIndexed / ingest.Elapsed.TotalSeconds,
                ["query_p50_ms"] = Percentile(latencies, 0.50),
                ["query_p99_ms"] = Percentile(latencies, 0.99),
            };
            foreach (var (key, values) in byLanguage.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                metrics[key] = values.Average();
            }

            double bestSingle = Math.Max(metrics["bm25_recall_at_5"], metrics["vector_recall_at_5"]);
            var baseline = new Dictionary<string, double>(StringComparer.Ordinal) { ["best_single_recall_at_5"] = bestSingle };
            var ratios = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["hybrid_over_best_single_recall"] = bestSingle == 0 ? 0 : metrics["hybrid_recall_at_5"] / bestSingle,
            };
            var stats = await kb.GetStatsAsync(cancellationToken);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["runbooks"] = Path.GetFullPath(runbooks),
                ["queries"] = Path.GetFullPath(queries),
                ["query_count"] = set.Queries.Count.ToString(CultureInfo.InvariantCulture),
                ["documents"] = report.Count(IngestOutcome.Indexed).ToString(CultureInfo.InvariantCulture),
                ["chunks"] = stats.Chunks.ToString(CultureInfo.InvariantCulture),
                ["embeddings"] = embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "unknown",
                ["fusion"] = $"rrf k={kbOptions.RrfK} candidates={kbOptions.CandidatesPerMethod} weights bm25={kbOptions.Bm25Weight} vector={kbOptions.VectorWeight} vector(zh query)={kbOptions.ChineseQueryVectorWeight}",
                ["max_chunk_chars"] = kbOptions.MaxChunkChars.ToString(CultureInfo.InvariantCulture),
                ["bm25_fields"] = kbOptions.Bm25Fields.ToString(),
                ["relevance"] = "citation (source#anchor) in the query's relevant list; recall over the top 5, MRR over the top 10",
            };
            return new BenchmarkReport("rag", metrics, baseline, ratios, parameters);
        }
        finally
        {
            if (Directory.Exists(store))
            {
                Directory.Delete(store, recursive: true);
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
