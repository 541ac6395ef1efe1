using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// The Lucene.Net index: BM25 over two analyses of every chunk (English: standard tokenizer,
/// stop words, Porter stemming; Chinese: SmartCn word segmentation), and the catalog of record
/// for chunks (stored fields), sources and their hashes. Tenant scope is a Lucene filter inside
/// the query. Not thread-safe for writes: <see cref="KnowledgeBase"/> serialises them.
/// </summary>
internal sealed class Bm25Index : IDisposable
{
    public const string IdField = "id";
    public const string SourceKeyField = "source_key";
    public const string SourceField = "source";
    public const string OriginField = "origin";
    public const string TenantField = "tenant";
    public const string VisibilityField = "visibility";
    public const string ScopeField = "scope";
    public const string DocHashField = "doc_hash";
    public const string ContentHashField = "content_hash";
    public const string EnglishField = "text_en";
    public const string ChineseField = "text_zh";
    private const string HeadingField = "heading";
    private const string AnchorField = "anchor";
    private const string TextField = "text";
    private const string LanguageField = "lang";
    private const string CategoryField = "category";
    private const int MaxQueryTerms = 256;
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly LuceneDirectory _directory;
    private readonly Analyzer _english;
    private readonly Analyzer _chinese;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly Bm25Fields _fields;

    public Bm25Index(string? path, Bm25Fields fields = Bm25Fields.ByQueryScript)
    {
        _fields = fields;
        _directory = path is null ? new RAMDirectory() : FSDirectory.Open(path);
        _english = new EnglishAnalyzer(Version);
        _chinese = new SmartChineseAnalyzer(Version);
        EnsureSmartCnLoads(_chinese);
        var analyzer = new PerFieldAnalyzerWrapper(_english, new Dictionary<string, Analyzer> { [ChineseField] = _chinese });
        var config = new IndexWriterConfig(Version, analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(),
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
    }

    /// <summary>
    /// SmartCn's tokenizer initialises ICU4N, which creates named cultures. Under
    /// <c>InvariantGlobalization</c> that throws unless the application also sets
    /// <c>PredefinedCulturesOnly=false</c>; fail at open with the fix rather than on the first
    /// Chinese document.
    /// </summary>
    private static void EnsureSmartCnLoads(Analyzer chinese)
    {
        try
        {
            using var stream = chinese.GetTokenStream(ChineseField, "中文分词");
            stream.Reset();
            while (stream.IncrementToken())
            {
            }

            stream.End();
        }
        catch (TypeInitializationException e)
        {
            throw new InvalidOperationException(
                "Lucene.Net SmartCn (ICU4N) could not initialise. With <InvariantGlobalization>true</InvariantGlobalization> the application project must also set " +
                "<PredefinedCulturesOnly>false</PredefinedCulturesOnly> (runtimeconfig System.Globalization.PredefinedCulturesOnly=false, or the environment variable DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY=false).", e);
        }
    }

    public static string ScopeKey(string tenant, KnowledgeVisibility visibility) =>
        visibility == KnowledgeVisibility.Shared ? KnowledgeScope.SharedTenant : $"{tenant}/private";

    public static string SourceKey(string scopeKey, string sourceId) => $"{scopeKey}|{sourceId}";

    public void Add(KnowledgeChunk chunk, string sourceKey, string origin, string docHash)
    {
        var doc = new Document
        {
            new StringField(IdField, chunk.Id, Field.Store.YES),
            new StringField(SourceKeyField, sourceKey, Field.Store.YES),
            new StringField(SourceField, chunk.SourceId, Field.Store.YES),
            new StringField(OriginField, origin, Field.Store.YES),
            new StringField(TenantField, chunk.Tenant, Field.Store.YES),
            new StringField(VisibilityField, Visibility(chunk.Visibility), Field.Store.YES),
            new StringField(ScopeField, ScopeKey(chunk.Tenant, chunk.Visibility), Field.Store.NO),
            new StringField(DocHashField, docHash, Field.Store.YES),
            new StringField(ContentHashField, chunk.ContentHash, Field.Store.YES),
            new StringField(LanguageField, chunk.Language, Field.Store.YES),
            new StoredField(HeadingField, chunk.HeadingPath),
            new StoredField(AnchorField, chunk.Anchor),
            new StoredField(TextField, chunk.Text),
            new TextField(EnglishField, chunk.IndexedText, Field.Store.NO),
        };
        if (chunk.Language == LanguageDetector.Chinese || _fields == Bm25Fields.Both)
        {
            doc.Add(new TextField(ChineseField, chunk.IndexedText, Field.Store.NO));
        }

        foreach (var category in chunk.Categories)
        {
            doc.Add(new StringField(CategoryField, category, Field.Store.YES));
        }

        _writer.AddDocument(doc);
    }

    public void DeleteSource(string sourceKey) => _writer.DeleteDocuments(new Term(SourceKeyField, sourceKey));

    public void Commit()
    {
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>The document hash and chunk ids of a source, or null when it is not indexed.</summary>
    public (string DocHash, string Origin, IReadOnlyList<string> ChunkIds)? GetSource(string sourceKey)
    {
        var docs = Find(new TermQuery(new Term(SourceKeyField, sourceKey)), int.MaxValue);
        return docs.Count == 0 ? null : (docs[0].Get(DocHashField), docs[0].Get(OriginField), docs.Select(d => d.Get(IdField)).ToArray());
    }

    /// <summary>Another source in the same scope whose document hash is <paramref name="docHash"/>.</summary>
    public string? FindSourceWithDocHash(string scopeKey, string docHash, string exceptSourceKey)
    {
        var query = new BooleanQuery
        {
            { new TermQuery(new Term(ScopeField, scopeKey)), Occur.MUST },
            { new TermQuery(new Term(DocHashField, docHash)), Occur.MUST },
            { new TermQuery(new Term(SourceKeyField, exceptSourceKey)), Occur.MUST_NOT },
        };
        return Find(query, 1).FirstOrDefault()?.Get(SourceField);
    }

    /// <summary>Content hashes already indexed in <paramref name="scopeKey"/> by sources other than <paramref name="exceptSourceKey"/>.</summary>
    public bool HasContent(string scopeKey, string contentHash, string exceptSourceKey)
    {
        var query = new BooleanQuery
        {
            { new TermQuery(new Term(ScopeField, scopeKey)), Occur.MUST },
            { new TermQuery(new Term(ContentHashField, contentHash)), Occur.MUST },
            { new TermQuery(new Term(SourceKeyField, exceptSourceKey)), Occur.MUST_NOT },
        };
        return Find(query, 1).Count > 0;
    }

    /// <summary>Source keys of every source indexed from <paramref name="origin"/>.</summary>
    public IReadOnlyCollection<(string SourceKey, IReadOnlyList<string> ChunkIds)> SourcesFromOrigin(string origin) =>
        Find(new TermQuery(new Term(OriginField, origin)), int.MaxValue)
            .GroupBy(d => d.Get(SourceKeyField), StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(d => d.Get(IdField)).ToArray()))
            .ToArray();

    /// <summary>Source keys of every source with this id (any scope).</summary>
    public IReadOnlyCollection<(string SourceKey, string Tenant, IReadOnlyList<string> ChunkIds)> SourcesWithId(string sourceId) =>
        Find(new TermQuery(new Term(SourceField, sourceId)), int.MaxValue)
            .GroupBy(d => d.Get(SourceKeyField), StringComparer.Ordinal)
            .Select(g => (g.Key, g.First().Get(TenantField), (IReadOnlyList<string>)g.Select(d => d.Get(IdField)).ToArray()))
            .ToArray();

    /// <summary>BM25 top <paramref name="top"/> chunk ids in <paramref name="scope"/>, best first.</summary>
    public IReadOnlyList<(string Id, float Score)> Search(string text, KnowledgeScope scope, int top)
    {
        var query = BuildQuery(text);
        if (query.Clauses.Count == 0)
        {
            return [];
        }

        var searcher = _searchers.Acquire();
        try
        {
            searcher.Similarity = new BM25Similarity();
            var hits = searcher.Search(query, ScopeFilter(scope), top);
            return hits.ScoreDocs.Select(h => (searcher.Doc(h.Doc).Get(IdField), h.Score)).ToArray();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The chunks with these ids that <paramref name="scope"/> may see.</summary>
    public Dictionary<string, KnowledgeChunk> GetChunks(IEnumerable<string> ids, KnowledgeScope scope)
    {
        var result = new Dictionary<string, KnowledgeChunk>(StringComparer.Ordinal);
        var query = new BooleanQuery();
        foreach (var id in ids.Distinct(StringComparer.Ordinal).Take(BooleanQuery.MaxClauseCount))
        {
            query.Add(new TermQuery(new Term(IdField, id)), Occur.SHOULD);
        }

        if (query.Clauses.Count == 0)
        {
            return result;
        }

        var searcher = _searchers.Acquire();
        try
        {
            var hits = searcher.Search(query, ScopeFilter(scope), query.Clauses.Count);
            foreach (var hit in hits.ScoreDocs)
            {
                var chunk = ToChunk(searcher.Doc(hit.Doc));
                if (scope.Allows(chunk.Tenant, chunk.Visibility))
                {
                    result[chunk.Id] = chunk;
                }
            }
        }
        finally
        {
            _searchers.Release(searcher);
        }

        return result;
    }

    public KnowledgeStats Stats()
    {
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var tenants = new Dictionary<string, int>(StringComparer.Ordinal);
            var languages = new Dictionary<string, int>(StringComparer.Ordinal);
            var sources = new HashSet<string>(StringComparer.Ordinal);
            var liveDocs = MultiFields.GetLiveDocs(reader);
            for (int i = 0; i < reader.MaxDoc; i++)
            {
                if (liveDocs is not null && !liveDocs.Get(i))
                {
                    continue;
                }

                var doc = reader.Document(i);
                sources.Add(doc.Get(SourceKeyField));
                var tenant = doc.Get(TenantField);
                tenants[tenant] = tenants.GetValueOrDefault(tenant) + 1;
                var language = doc.Get(LanguageField);
                languages[language] = languages.GetValueOrDefault(language) + 1;
            }

            return new KnowledgeStats(reader.NumDocs, sources.Count, tenants, languages, 0, string.Empty);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _english.Dispose();
        _chinese.Dispose();
        _directory.Dispose();
    }

    private BooleanQuery BuildQuery(string text)
    {
        var query = new BooleanQuery();
        bool han = LanguageDetector.ContainsHan(text);
        // Han runs through the standard tokenizer become single characters: noise in the English
        // field. Chinese words are matched in the SmartCn field instead.
        AddTerms(query, _english, EnglishField, text, skipHan: han && _fields == Bm25Fields.ByQueryScript);
        if (han || _fields == Bm25Fields.Both)
        {
            AddTerms(query, _chinese, ChineseField, text, skipHan: false);
        }

        return query;
    }

    private static void AddTerms(BooleanQuery query, Analyzer analyzer, string field, string text, bool skipHan)
    {
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stream.IncrementToken() && seen.Count < MaxQueryTerms)
        {
            var value = term.ToString();
            if ((!skipHan || !LanguageDetector.ContainsHan(value)) && seen.Add(value))
            {
                query.Add(new TermQuery(new Term(field, value)), Occur.SHOULD);
            }
        }

        stream.End();
    }

    private static QueryWrapperFilter ScopeFilter(KnowledgeScope scope)
    {
        var filter = new BooleanQuery { { new TermQuery(new Term(ScopeField, KnowledgeScope.SharedTenant)), Occur.SHOULD } };
        if (scope.Tenant is { } tenant)
        {
            filter.Add(new TermQuery(new Term(ScopeField, ScopeKey(tenant, KnowledgeVisibility.Private))), Occur.SHOULD);
        }

        return new QueryWrapperFilter(filter);
    }

    private List<Document> Find(Query query, int max)
    {
        var searcher = _searchers.Acquire();
        try
        {
            int count = Math.Min(max, Math.Max(1, searcher.IndexReader.MaxDoc));
            return searcher.Search(query, count).ScoreDocs.Select(h => searcher.Doc(h.Doc)).ToList();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static KnowledgeChunk ToChunk(Document doc) => new(
        doc.Get(IdField),
        doc.Get(SourceField),
        doc.Get(TenantField),
        doc.Get(VisibilityField) == "private" ? KnowledgeVisibility.Private : KnowledgeVisibility.Shared,
        doc.Get(HeadingField),
        doc.Get(AnchorField),
        doc.Get(TextField),
        doc.Get(LanguageField),
        doc.GetValues(CategoryField) ?? [],
        doc.Get(ContentHashField));

    private static string Visibility(KnowledgeVisibility visibility) => visibility == KnowledgeVisibility.Private ? "private" : "shared";
}
