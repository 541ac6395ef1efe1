using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Qdrant.Client;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// The knowledge base: documents from any source are chunked by structure, deduplicated by
/// content hash, indexed for BM25 (Lucene.Net, the catalog of record) and embedded into a vector
/// store; queries run BM25 and vector search inside the caller's tenant scope and fuse the two
/// lists by reciprocal rank. Writes are serialised; searches run concurrently.
/// </summary>
public sealed class KnowledgeBase : IAsyncDisposable
{
    private const string IndexFolder = "bm25";
    private const string VectorFolder = "vectors";

    private readonly KnowledgeBaseOptions _options;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly IVectorStore _vectors;
    private readonly Bm25Index _index;
    private readonly StructuralChunker _chunker;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private int _disposed;

    private KnowledgeBase(KnowledgeBaseOptions options, IEmbeddingGenerator<string, Embedding<float>> embeddings, IVectorStore vectors, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        _options = options;
        _embeddings = embeddings;
        _vectors = vectors;
        _logger = (ILogger?)loggerFactory?.CreateLogger<KnowledgeBase>() ?? NullLogger<KnowledgeBase>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _chunker = new StructuralChunker(new ChunkingOptions { MaxChunkChars = options.MaxChunkChars });
        string? indexPath = options.DataDirectory is null ? null : Path.Combine(options.DataDirectory, IndexFolder);
        if (indexPath is not null)
        {
            Directory.CreateDirectory(indexPath);
        }

        _index = new Bm25Index(indexPath, options.Bm25Fields);
    }

    /// <summary>The vector store in use.</summary>
    public IVectorStore VectorStore => _vectors;

    /// <summary>
    /// Opens (or creates) the knowledge base. Without <paramref name="vectorStore"/> it creates the
    /// one <see cref="KnowledgeBaseOptions.VectorStore"/> names (and disposes it with the base).
    /// </summary>
    public static async Task<KnowledgeBase> OpenAsync(
        KnowledgeBaseOptions options,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        IVectorStore? vectorStore = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embeddings);
        var validation = KnowledgeBaseOptionsValidator.Check(options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid {nameof(KnowledgeBaseOptions)}: {validation.FailureMessage}", nameof(options));
        }

        vectorStore ??= options.VectorStore switch
        {
            VectorStoreKind.Qdrant => new QdrantVectorStore(new QdrantClient(options.QdrantEndpoint!, options.QdrantApiKey, TimeSpan.FromSeconds(30), loggerFactory), options.QdrantCollection, ownsClient: true),
            _ => new EmbeddedVectorStore(options.DataDirectory is null ? null : Path.Combine(options.DataDirectory, VectorFolder)),
        };

        var knowledgeBase = new KnowledgeBase(options, embeddings, vectorStore, loggerFactory, timeProvider);
        try
        {
            int dimensions = embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions
                ?? (await embeddings.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken))[0].Vector.Length;
            await vectorStore.EnsureCreatedAsync(dimensions, cancellationToken);
            var stats = await knowledgeBase.GetStatsAsync(cancellationToken);
            Log.Opened(knowledgeBase._logger, stats.Chunks, stats.Sources, stats.VectorStore, stats.Vectors);
            return knowledgeBase;
        }
        catch
        {
            await knowledgeBase.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Indexes one document from any source (a past incident, a runbook from a business adapter):
    /// unchanged content is a no-op, new content replaces the source's previous chunks, a document
    /// whose content another source in the same scope already holds is skipped as a duplicate.
    /// </summary>
    public async Task<DocumentIngestResult> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        var result = await UpsertCoreAsync(document, origin: $"api:{document?.SourceId}", cancellationToken);
        await _vectors.FlushAsync(cancellationToken);
        return result;
    }

    /// <summary>Removes a source: the shared one (<paramref name="tenant"/> null) or that tenant's private one.</summary>
    public async Task<DocumentIngestResult> RemoveAsync(string sourceId, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        var scopeKey = tenant is null
            ? Bm25Index.ScopeKey(KnowledgeScope.SharedTenant, KnowledgeVisibility.Shared)
            : ScopeKeyOf(tenant, KnowledgeVisibility.Private);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var result = await RemoveSourceAsync(Bm25Index.SourceKey(scopeKey, sourceId), sourceId, tenant ?? KnowledgeScope.SharedTenant, cancellationToken);
            await _vectors.FlushAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Indexes files and directories (recursively: <c>.md</c>, <c>.txt</c>, <c>.html</c>). A file's
    /// source id is its path relative to the directory's parent (<c>runbooks/crashloop.md</c>), or its
    /// name when given alone. Sources previously indexed from a directory whose files are gone are
    /// removed. Every file gets a result; bad files are skipped or fail with a reason and leave the
    /// index as it was.
    /// </summary>
    public async Task<IngestReport> AddPathsAsync(IEnumerable<string> paths, string? tenant = null, KnowledgeVisibility visibility = KnowledgeVisibility.Private, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (tenant is not null)
        {
            KnowledgeScope.ValidateTenant(tenant);
        }

        var results = new List<DocumentIngestResult>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                await AddDirectoryAsync(full, tenant, visibility, results, cancellationToken);
            }
            else if (File.Exists(full))
            {
                results.Add(await AddFileAsync(full, Path.GetFileName(full), $"file:{full}", tenant, visibility, cancellationToken));
            }
            else
            {
                results.Add(Report(new DocumentIngestResult(path, IngestOutcome.Failed, Reason: "no such file or directory")));
            }
        }

        await _vectors.FlushAsync(cancellationToken);
        return new IngestReport(results);
    }

    /// <summary>Hybrid (or single-method) retrieval inside the query's tenant scope.</summary>
    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Top);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var scope = KnowledgeScope.For(query.Tenant);
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return [];
        }

        using var activity = KnowledgeTelemetry.Source.StartActivity(KnowledgeTelemetryNames.SearchActivity, ActivityKind.Internal);
        activity?.SetTag(KnowledgeTelemetryNames.ModeTag, query.Mode.ToString());
        long start = _timeProvider.GetTimestamp();
        Log.QuerySensitive(_logger, query.Text);
        int candidates = Math.Max(query.Top, _options.CandidatesPerMethod);

        IReadOnlyList<(string Id, float Score)> bm25 = query.Mode == RetrievalMode.Vector ? [] : _index.Search(query.Text, scope, candidates);
        IReadOnlyList<VectorMatch> vector = [];
        double vectorWeight = VectorWeightFor(query.Text);
        if (query.Mode == RetrievalMode.Vector || (query.Mode == RetrievalMode.Hybrid && vectorWeight > 0))
        {
            var embedded = await _embeddings.GenerateAsync([query.Text], cancellationToken: cancellationToken);
            vector = await _vectors.SearchAsync(Normalize(embedded[0].Vector), scope, candidates, cancellationToken);
        }

        var bm25Ranks = Ranks(bm25.Select(h => h.Id));
        var vectorRanks = Ranks(vector.Select(h => h.ChunkId));
        IReadOnlyList<(string Id, double Score)> ranked = query.Mode switch
        {
            RetrievalMode.Bm25 => bm25.Select(h => (h.Id, (double)h.Score)).ToArray(),
            RetrievalMode.Vector => vector.Select(h => (h.ChunkId, (double)h.Score)).ToArray(),
            _ => ReciprocalRankFusion.Fuse(
                [(bm25.Select(h => h.Id).ToArray(), _options.Bm25Weight), (vector.Select(h => h.ChunkId).ToArray(), vectorWeight)],
                _options.RrfK),
        };

        var chunks = _index.GetChunks(ranked.Select(r => r.Id), scope);
        int orphans = ranked.Count(r => !chunks.ContainsKey(r.Id));
        if (orphans > 0)
        {
            Log.OrphanVectors(_logger, orphans);
        }

        var hits = ranked
            .Where(r => chunks.ContainsKey(r.Id))
            .Take(query.Top)
            .Select(r => new KnowledgeHit(chunks[r.Id], r.Score, bm25Ranks.TryGetValue(r.Id, out var b) ? b : null, vectorRanks.TryGetValue(r.Id, out var v) ? v : null))
            .ToArray();

        var elapsed = _timeProvider.GetElapsedTime(start);
        KnowledgeTelemetry.SearchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(KnowledgeTelemetryNames.ModeTag, query.Mode.ToString()));
        Log.Searched(_logger, query.Mode, query.Tenant ?? KnowledgeScope.SharedTenant, hits.Length, elapsed.TotalMilliseconds);
        return hits;
    }

    /// <summary>What the base holds.</summary>
    public async Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = _index.Stats();
        return stats with { Vectors = await _vectors.CountAsync(cancellationToken), VectorStore = _vectors.Name };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writeGate.WaitAsync();
        try
        {
            await _vectors.DisposeAsync();
            _index.Dispose();
        }
        finally
        {
            _writeGate.Release();
            _writeGate.Dispose();
        }
    }

    private async Task AddDirectoryAsync(string root, string? tenant, KnowledgeVisibility visibility, List<DocumentIngestResult> results, CancellationToken cancellationToken)
    {
        var rootName = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        var scopeKey = tenant is null ? KnowledgeScope.SharedTenant : ScopeKeyOf(tenant, visibility);
        var origin = $"dir:{scopeKey}:{root}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sourceId = $"{rootName}/{Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/')}";
            seen.Add(Bm25Index.SourceKey(scopeKey, sourceId));
            results.Add(await AddFileAsync(file, sourceId, origin, tenant, visibility, cancellationToken));
        }

        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (sourceKey, _) in _index.SourcesFromOrigin(origin))
            {
                if (!seen.Contains(sourceKey))
                {
                    var sourceId = sourceKey[(sourceKey.IndexOf('|', StringComparison.Ordinal) + 1)..];
                    results.Add(await RemoveSourceAsync(sourceKey, sourceId, tenant ?? KnowledgeScope.SharedTenant, cancellationToken));
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<DocumentIngestResult> AddFileAsync(string path, string sourceId, string origin, string? tenant, KnowledgeVisibility visibility, CancellationToken cancellationToken)
    {
        var (text, format, outcome, reason) = await DocumentFile.ReadAsync(path, _options.MaxDocumentBytes, cancellationToken);
        if (text is null)
        {
            return Report(new DocumentIngestResult(sourceId, outcome, Reason: reason));
        }

        var document = new KnowledgeDocument(sourceId, text, format, tenant, tenant is null ? KnowledgeVisibility.Shared : visibility)
        {
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = path },
        };
        return await UpsertCoreAsync(document, origin, cancellationToken);
    }

    private async Task<DocumentIngestResult> UpsertCoreAsync(KnowledgeDocument document, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(document.SourceId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (document.SourceId.Contains('|', StringComparison.Ordinal) || document.SourceId.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Source id '{document.SourceId}' may not contain '|' or '#'.", nameof(document));
        }

        var tenant = document.Tenant ?? KnowledgeScope.SharedTenant;
        var visibility = document.Tenant is null ? KnowledgeVisibility.Shared : document.Visibility;
        var scopeKey = document.Tenant is null ? KnowledgeScope.SharedTenant : ScopeKeyOf(document.Tenant, visibility);
        var sourceKey = Bm25Index.SourceKey(scopeKey, document.SourceId);
        if (string.IsNullOrWhiteSpace(document.Text))
        {
            return Report(new DocumentIngestResult(document.SourceId, IngestOutcome.Skipped, Reason: "empty document"));
        }

        using var activity = KnowledgeTelemetry.Source.StartActivity(KnowledgeTelemetryNames.IngestActivity, ActivityKind.Internal);
        var docHash = StructuralChunker.ContentHash($"{document.Format}\n{document.Text}");
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var existing = _index.GetSource(sourceKey);
            if (existing?.DocHash == docHash)
            {
                Log.DocumentUnchanged(_logger, document.SourceId, tenant);
                return Report(new DocumentIngestResult(document.SourceId, IngestOutcome.Unchanged, existing.Value.ChunkIds.Count));
            }

            var duplicateOf = _index.FindSourceWithDocHash(scopeKey, docHash, sourceKey);
            if (duplicateOf is not null)
            {
                await RemoveIfPresentAsync(sourceKey, existing, cancellationToken);
                return Report(new DocumentIngestResult(document.SourceId, IngestOutcome.Skipped, Reason: $"duplicate of {duplicateOf}"));
            }

            var chunks = new List<KnowledgeChunk>();
            var hashes = new HashSet<string>(StringComparer.Ordinal);
            int duplicates = 0;
            foreach (var chunk in _chunker.Chunk(document))
            {
                if (!hashes.Add(chunk.ContentHash) || _index.HasContent(scopeKey, chunk.ContentHash, sourceKey))
                {
                    duplicates++;
                    continue;
                }

                chunks.Add(chunk);
            }

            if (chunks.Count == 0)
            {
                await RemoveIfPresentAsync(sourceKey, existing, cancellationToken);
                return Report(new DocumentIngestResult(document.SourceId, IngestOutcome.Skipped,
                    Reason: duplicates > 0 ? "every section duplicates content already indexed" : "no indexable text"));
            }

            // Embed before touching either store: an embedding failure leaves the index as it was.
            var records = new List<VectorRecord>(chunks.Count);
            foreach (var batch in chunks.Chunk(_options.EmbeddingBatchSize))
            {
                var embeddings = await _embeddings.GenerateAsync(batch.Select(c => c.IndexedText), cancellationToken: cancellationToken);
                if (embeddings.Count != batch.Length)
                {
                    throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {batch.Length} inputs.");
                }

                records.AddRange(batch.Select((c, i) => new VectorRecord(c.Id, c.Tenant, c.Visibility, Normalize(embeddings[i].Vector))));
            }

            await _vectors.UpsertAsync(records, cancellationToken);
            _index.DeleteSource(sourceKey);
            foreach (var chunk in chunks)
            {
                _index.Add(chunk, sourceKey, origin, docHash);
            }

            _index.Commit();
            if (existing is { } previous)
            {
                var newIds = chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                await _vectors.DeleteAsync(previous.ChunkIds.Where(id => !newIds.Contains(id)).ToArray(), cancellationToken);
            }

            KnowledgeTelemetry.ChunksIndexed.Add(chunks.Count);
            Log.DocumentIndexed(_logger, document.SourceId, tenant, chunks.Count, duplicates);
            return Report(new DocumentIngestResult(document.SourceId, IngestOutcome.Indexed, chunks.Count,
                duplicates > 0 ? $"{duplicates} duplicate sections dropped" : null));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task RemoveIfPresentAsync(string sourceKey, (string DocHash, string Origin, IReadOnlyList<string> ChunkIds)? existing, CancellationToken cancellationToken)
    {
        if (existing is { } previous)
        {
            _index.DeleteSource(sourceKey);
            _index.Commit();
            await _vectors.DeleteAsync(previous.ChunkIds, cancellationToken);
        }
    }

    private async Task<DocumentIngestResult> RemoveSourceAsync(string sourceKey, string sourceId, string tenant, CancellationToken cancellationToken)
    {
        var existing = _index.GetSource(sourceKey);
        if (existing is null)
        {
            return Report(new DocumentIngestResult(sourceId, IngestOutcome.Skipped, Reason: "not indexed"));
        }

        await RemoveIfPresentAsync(sourceKey, existing, cancellationToken);
        Log.DocumentRemoved(_logger, sourceId, tenant, existing.Value.ChunkIds.Count);
        return Report(new DocumentIngestResult(sourceId, IngestOutcome.Removed, existing.Value.ChunkIds.Count));
    }

    private DocumentIngestResult Report(DocumentIngestResult result)
    {
        switch (result.Outcome)
        {
            case IngestOutcome.Skipped when result.Reason != "not indexed":
                Log.DocumentSkipped(_logger, result.Source, result.Reason ?? string.Empty);
                break;
            case IngestOutcome.Failed:
                Log.DocumentFailed(_logger, result.Source, result.Reason ?? string.Empty);
                break;
        }

        KnowledgeTelemetry.Documents.Add(1, new KeyValuePair<string, object?>(KnowledgeTelemetryNames.OutcomeTag, result.Outcome.ToString()));
        return result;
    }

    private static string ScopeKeyOf(string tenant, KnowledgeVisibility visibility)
    {
        KnowledgeScope.ValidateTenant(tenant);
        return Bm25Index.ScopeKey(tenant, visibility);
    }

    private double VectorWeightFor(string text) =>
        LanguageDetector.Detect(text) == LanguageDetector.Chinese ? _options.ChineseQueryVectorWeight : _options.VectorWeight;

    private static Dictionary<string, int> Ranks(IEnumerable<string> ids)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        int rank = 0;
        foreach (var id in ids)
        {
            ranks.TryAdd(id, ++rank);
        }

        return ranks;
    }

    private static float[] Normalize(ReadOnlyMemory<float> vector)
    {
        var copy = vector.ToArray();
        float norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}
