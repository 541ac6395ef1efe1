using System.CommandLine;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Platform.Inference;

namespace ChasiSre.Cli.Bench.Rag;

/// <summary><c>chasi bench rag</c> as a <see cref="Command"/> factory.</summary>
internal static class RagBenchCommand
{
    public static Command Create()
    {
        var format = OutputFormatOption.Create();
        var runbooks = new Option<string>("--runbooks") { Description = "Runbook directory; defaults to diagnosis/runbooks in the repository.", DefaultValueFactory = _ => Locate(Path.Combine("diagnosis", "runbooks")) };
        var queries = new Option<string>("--queries") { Description = "Labelled query set; defaults to tests/rag/queries.json in the repository.", DefaultValueFactory = _ => Locate(Path.Combine("tests", "rag", "queries.json")) };
        var fields = new Option<Bm25Fields>("--bm25-fields") { Description = "ByQueryScript or Both.", DefaultValueFactory = _ => Bm25Fields.ByQueryScript };
        var rrfK = new Option<int>("--rrf-k") { Description = "Reciprocal rank fusion constant.", DefaultValueFactory = _ => ReciprocalRankFusion.DefaultK };
        var zhWeight = new Option<double>("--zh-vector-weight") { Description = "Weight of the vector list for Chinese queries.", DefaultValueFactory = _ => new KnowledgeBaseOptions().ChineseQueryVectorWeight };
        var chunkChars = new Option<int>("--max-chunk-chars") { Description = "Longest chunk.", DefaultValueFactory = _ => new KnowledgeBaseOptions().MaxChunkChars };
        var vectorWeight = new Option<double>("--vector-weight") { Description = "Weight of the vector list in the fusion (BM25's is 1).", DefaultValueFactory = _ => new KnowledgeBaseOptions().VectorWeight };
        var showMisses = new Option<bool>("--misses") { Description = "Print every query a method did not fully recall to stderr." };
        var command = new Command("rag", "Knowledge base retrieval: recall@5 and MRR of BM25, vectors and hybrid fusion over a labelled query set; ingest rate and query latency.")
        {
            format, runbooks, queries, fields, rrfK, zhWeight, chunkChars, vectorWeight, showMisses,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var embeddings = new MiniLmEmbeddingGenerator();
            var options = new KnowledgeBaseOptions { Bm25Fields = result.GetValue(fields), RrfK = result.GetValue(rrfK), ChineseQueryVectorWeight = result.GetValue(zhWeight), MaxChunkChars = result.GetValue(chunkChars), VectorWeight = result.GetValue(vectorWeight) };
            var report = await new RagBenchmark(result.GetValue(runbooks)!, result.GetValue(queries)!, embeddings, options, result.GetValue(showMisses) ? Console.Error : null).RunAsync(cancellationToken);
            Commands.BenchCommand.Print(report, result.GetValue(format));
            return 0;
        });
        return command;
    }

    /// <summary>Finds <paramref name="relative"/> under the current directory or the first ancestor of it (or of the app) that has it.</summary>
    public static string Locate(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return relative;
    }
}
