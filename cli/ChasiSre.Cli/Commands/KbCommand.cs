using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Knowledge.Sources;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi kb ...</c>: the knowledge base (add, search, stats, remove) on a local store.</summary>
internal static partial class KbCommand
{
    public static Command Create()
    {
        var command = new Command("kb", "Knowledge base: index runbooks and docs, search them (BM25 + vectors, tenant-safe).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Search());
        command.Subcommands.Add(Stats());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(AddIncidents());
        return command;
    }

    /// <summary>The default store: <c>$CHASI_DATA_DIR/kb</c>, else <c>$XDG_DATA_HOME/chasisre/kb</c>, else <c>~/.local/share/chasisre/kb</c>.</summary>
    public static string DefaultStore()
    {
        var data = Environment.GetEnvironmentVariable("CHASI_DATA_DIR");
        if (!string.IsNullOrEmpty(data))
        {
            return Path.Combine(data, "kb");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
        return Path.Combine(root, "chasisre", "kb");
    }

    private static Command Add()
    {
        var paths = new Argument<string[]>("path") { Description = "Files or directories (.md, .txt, .html; directories recursively).", Arity = ArgumentArity.OneOrMore };
        var tenant = TenantOption("Owning tenant: the documents become private to it (default: shared with every tenant).");
        var store = StoreOption();
        var format = OutputFormatOption.Create();
        var endpoint = new EndpointOptions();
        var command = new Command("add", "Index files and directories; unchanged files are skipped, vanished ones removed. Exit 1 if any file failed.")
        {
            paths, tenant, store, format,
        };
        endpoint.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await OpenAsync(result.GetValue(store)!, endpoint, result, cancellationToken);
            var report = await session.Kb.AddPathsAsync(result.GetValue(paths)!, result.GetValue(tenant), KnowledgeVisibility.Private, cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                var output = new KbAddOutput(report.Results.Select(r => new KbFileOutput(r.Source, r.Outcome.ToString().ToLowerInvariant(), r.Chunks, r.Reason)).ToArray(), report.ChunksIndexed);
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, KbJsonContext.Default.KbAddOutput));
            }
            else
            {
                foreach (var r in report.Results)
                {
                    await Console.Out.WriteLineAsync($"{r.Outcome.ToString().ToLowerInvariant(),-9} {r.Source} {(r.Chunks > 0 ? $"({r.Chunks} chunks)" : string.Empty)} {r.Reason}".TrimEnd());
                }

                await Console.Out.WriteLineAsync($"indexed {report.Count(IngestOutcome.Indexed)}, unchanged {report.Count(IngestOutcome.Unchanged)}, skipped {report.Count(IngestOutcome.Skipped)}, failed {report.Count(IngestOutcome.Failed)}, removed {report.Count(IngestOutcome.Removed)}; {report.ChunksIndexed} chunks");
            }

            return report.Count(IngestOutcome.Failed) > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command Search()
    {
        var query = new Argument<string>("query") { Description = "An error message, a symptom or a question (English or Chinese)." };
        var tenant = TenantOption("The tenant asking: sees shared documents and its own private ones (default: shared only).");
        var top = new Option<int>("--top") { Description = "Results.", DefaultValueFactory = _ => 5 };
        var mode = new Option<RetrievalMode>("--mode") { Description = "hybrid, bm25 or vector.", DefaultValueFactory = _ => RetrievalMode.Hybrid };
        var store = StoreOption();
        var format = OutputFormatOption.Create();
        var endpoint = new EndpointOptions();
        var command = new Command("search", "Search the knowledge base; results carry citations (source#heading).")
        {
            query, tenant, top, mode, store, format,
        };
        endpoint.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await OpenAsync(result.GetValue(store)!, endpoint, result, cancellationToken);
            var hits = await session.Kb.SearchAsync(new KnowledgeQuery(result.GetValue(query)!, result.GetValue(tenant), result.GetValue(top), result.GetValue(mode)), cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                var output = new KbSearchOutput(hits.Select(h => new KbResultOutput(h.Score, h.Chunk.SourceId, h.Chunk.HeadingPath, h.Chunk.Text, h.Chunk.Tenant, h.Citation, h.Chunk.Language)).ToArray());
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, KbJsonContext.Default.KbSearchOutput));
            }
            else
            {
                foreach (var hit in hits)
                {
                    await Console.Out.WriteLineAsync($"{hit.Score:F4}  {hit.Citation}  [{hit.Chunk.Tenant}]");
                    await Console.Out.WriteLineAsync($"        {hit.Chunk.HeadingPath}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var store = StoreOption();
        var format = OutputFormatOption.Create();
        var endpoint = new EndpointOptions();
        var command = new Command("stats", "Chunks, sources, vectors, per tenant and language.") { store, format };
        endpoint.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await OpenAsync(result.GetValue(store)!, endpoint, result, cancellationToken);
            var stats = await session.Kb.GetStatsAsync(cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(stats, KbJsonContext.Default.KnowledgeStats));
            }
            else
            {
                await Console.Out.WriteLineAsync($"chunks {stats.Chunks}, sources {stats.Sources}, vectors {stats.Vectors} ({stats.VectorStore})");
                foreach (var (key, value) in stats.ChunksByTenant.Concat(stats.ChunksByLanguage))
                {
                    await Console.Out.WriteLineAsync($"  {key,-20} {value}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var source = new Argument<string>("source") { Description = "The source id, as in citations (runbooks/crashloop-backoff.md)." };
        var tenant = TenantOption("Remove that tenant's private source (default: the shared one).");
        var store = StoreOption();
        var endpoint = new EndpointOptions();
        var command = new Command("remove", "Remove a source and its chunks. Exit 1 if it was not indexed.") { source, tenant, store };
        endpoint.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await OpenAsync(result.GetValue(store)!, endpoint, result, cancellationToken);
            var removed = await session.Kb.RemoveAsync(result.GetValue(source)!, result.GetValue(tenant), cancellationToken);
            await Console.Out.WriteLineAsync($"{removed.Outcome.ToString().ToLowerInvariant()} {removed.Source} {(removed.Chunks > 0 ? $"({removed.Chunks} chunks)" : removed.Reason)}");
            return removed.Outcome == IngestOutcome.Removed ? 0 : 1;
        });
        return command;
    }

    private static Command AddIncidents()
    {
        var chdb = new Option<string>("--store") { Description = "An embedded ClickHouse (chDB) data directory, e.g. the one `chasi scenario run --store` wrote.", Required = true };
        var kbStore = new Option<string>("--kb") { Description = "Knowledge base store directory.", DefaultValueFactory = _ => DefaultStore() };
        var format = OutputFormatOption.Create();
        var endpoint = new EndpointOptions();
        var command = new Command("add-incidents", "Index resolved, diagnosed incidents from ClickHouse (private to their tenant; incremental: a watermark in the store directory). Exit 1 if none are stored or any failed.")
        {
            chdb, kbStore, format,
        };
        endpoint.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var dataPath = Path.GetFullPath(result.GetValue(chdb)!);
            if (!Directory.Exists(dataPath))
            {
                await Console.Error.WriteLineAsync($"no ClickHouse data directory at {dataPath} (write one with chasi scenario run --store)");
                return 1;
            }

            var clickHouse = new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = dataPath };
            var store = new ChDbStore(Microsoft.Extensions.Options.Options.Create(clickHouse), NullLogger<ChDbStore>.Instance);
            var tables = await store.QueryAsync($"SELECT name FROM system.tables WHERE database = '{clickHouse.Database}' AND name IN ('incidents', 'diagnoses')", cancellationToken);
            if (tables.Count < 2)
            {
                await Console.Error.WriteLineAsync($"no incidents and diagnoses tables in {dataPath} (database {clickHouse.Database}): nothing stored there yet");
                return 1;
            }

            var kbPath = Path.GetFullPath(result.GetValue(kbStore)!);
            await using var session = await OpenAsync(kbPath, endpoint, result, cancellationToken);
            using var indexer = new PastIncidentIndexer(
                store,
                Microsoft.Extensions.Options.Options.Create(clickHouse),
                Microsoft.Extensions.Options.Options.Create(new PastIncidentIndexerOptions { StatePath = Path.Combine(kbPath, "past-incidents.state.json") }));
            var report = await indexer.IndexAsync(session.Kb, cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                var output = new KbIncidentsOutput(
                    report.RowsRead, report.Incidents, report.NotResolved, report.Undiagnosed,
                    report.Results.Select(r => new KbFileOutput(r.Source, r.Outcome.ToString().ToLowerInvariant(), r.Chunks, r.Reason)).ToArray(), report.Watermark);
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, KbJsonContext.Default.KbIncidentsOutput));
            }
            else
            {
                foreach (var r in report.Results)
                {
                    await Console.Out.WriteLineAsync($"{r.Outcome.ToString().ToLowerInvariant(),-9} {r.Source} {(r.Chunks > 0 ? $"({r.Chunks} chunks)" : string.Empty)} {r.Reason}".TrimEnd());
                }

                await Console.Out.WriteLineAsync(
                    $"{report.RowsRead} new rows, {report.Incidents} incidents: indexed {report.Count(IngestOutcome.Indexed)}, unchanged {report.Count(IngestOutcome.Unchanged)}, skipped {report.Count(IngestOutcome.Skipped)}, failed {report.Count(IngestOutcome.Failed)}; not resolved {report.NotResolved}, undiagnosed {report.Undiagnosed}");
            }

            return report.Count(IngestOutcome.Failed) > 0 ? 1 : 0;
        });
        return command;
    }

    private static Option<string?> TenantOption(string description) => new("--tenant") { Description = description };

    private static Option<string> StoreOption() => new("--store") { Description = "Store directory (BM25 index and vectors).", DefaultValueFactory = _ => DefaultStore() };

    private static async Task<Session> OpenAsync(string store, EndpointOptions endpoint, ParseResult result, CancellationToken cancellationToken)
    {
        IEmbeddingGenerator<string, Embedding<float>> embeddings = result.GetValue(endpoint.Endpoint) is { } uri
            ? new HttpEmbeddingGenerator(new EmbeddingEndpointOptions
            {
                Endpoint = uri,
                Model = result.GetValue(endpoint.Model) ?? string.Empty,
                Protocol = result.GetValue(endpoint.Protocol),
                ApiKey = Environment.GetEnvironmentVariable("CHASI_EMBEDDINGS_API_KEY"),
            })
            : new MiniLmEmbeddingGenerator();
        var options = new KnowledgeBaseOptions { DataDirectory = Path.GetFullPath(store) };
        if (result.GetValue(endpoint.Qdrant) is { } qdrant)
        {
            options.VectorStore = VectorStoreKind.Qdrant;
            options.QdrantEndpoint = qdrant;
            options.QdrantApiKey = Environment.GetEnvironmentVariable("CHASI_QDRANT_API_KEY");
            options.QdrantCollection = result.GetValue(endpoint.Collection)!;
        }

        try
        {
            return new Session(await KnowledgeBase.OpenAsync(options, embeddings, cancellationToken: cancellationToken), embeddings);
        }
        catch
        {
            embeddings.Dispose();
            throw;
        }
    }

    /// <summary>The knowledge base and the embedding generator it uses, disposed together (one per command).</summary>
    private sealed class Session(KnowledgeBase knowledgeBase, IEmbeddingGenerator<string, Embedding<float>> embeddings) : IAsyncDisposable
    {
        public KnowledgeBase Kb => knowledgeBase;

        public async ValueTask DisposeAsync()
        {
            await knowledgeBase.DisposeAsync();
            embeddings.Dispose();
        }
    }

    private sealed class EndpointOptions
    {
        public Option<Uri?> Endpoint { get; } = new("--embeddings") { Description = "Remote embeddings endpoint (OpenAI-compatible or Ollama base URL) instead of the bundled MiniLM." };

        public Option<EmbeddingProtocol> Protocol { get; } = new("--embeddings-protocol") { Description = "OpenAi or Ollama.", DefaultValueFactory = _ => EmbeddingProtocol.OpenAi };

        public Option<string?> Model { get; } = new("--embeddings-model") { Description = "Model name at the endpoint." };

        public Option<Uri?> Qdrant { get; } = new("--qdrant") { Description = "Qdrant gRPC endpoint (http://host:6334) for vectors instead of the embedded store." };

        public Option<string> Collection { get; } = new("--collection") { Description = "Qdrant collection.", DefaultValueFactory = _ => "chasi-knowledge" };

        public void AddTo(Command command)
        {
            command.Options.Add(Endpoint);
            command.Options.Add(Protocol);
            command.Options.Add(Model);
            command.Options.Add(Qdrant);
            command.Options.Add(Collection);
        }
    }

    internal sealed record KbSearchOutput(IReadOnlyList<KbResultOutput> Results);

    internal sealed record KbResultOutput(double Score, string Source, string Heading, string Text, string Tenant, string Citation, string Language);

    internal sealed record KbAddOutput(IReadOnlyList<KbFileOutput> Files, int ChunksIndexed);

    internal sealed record KbFileOutput(string Source, string Outcome, int Chunks, string? Reason);

    internal sealed record KbIncidentsOutput(int RowsRead, int Incidents, int NotResolved, int Undiagnosed, IReadOnlyList<KbFileOutput> Documents, DateTime? Watermark);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(KbSearchOutput))]
    [JsonSerializable(typeof(KbAddOutput))]
    [JsonSerializable(typeof(KbIncidentsOutput))]
    [JsonSerializable(typeof(KnowledgeStats))]
    internal sealed partial class KbJsonContext : JsonSerializerContext;
}
