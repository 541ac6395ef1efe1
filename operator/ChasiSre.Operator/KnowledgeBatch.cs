namespace ChasiSre.Operator;

/// <summary>One document of a KnowledgeSource: an id (a ConfigMap key, or a file's relative path with ':' for '/'), a title and Markdown or text.</summary>
public sealed record KnowledgeSourceDocument(string Id, string Title, string Body);

/// <summary>
/// Every document of one KnowledgeSource at one time: the whole listing, so the knowledge base can drop documents the
/// next listing no longer contains.
/// </summary>
/// <param name="Cluster">The host cluster's name.</param>
/// <param name="Namespace">The KnowledgeSource's namespace.</param>
/// <param name="Source">The KnowledgeSource's name.</param>
/// <param name="Tenant">The tenant the documents are private to.</param>
/// <param name="Documents">The documents, ordered by id.</param>
/// <param name="Tags">Categories of every document.</param>
/// <param name="At">The listing's time.</param>
public sealed record KnowledgeBatch(string Cluster, string Namespace, string Source, string Tenant, IReadOnlyList<KnowledgeSourceDocument> Documents, IReadOnlyList<string> Tags, DateTimeOffset At)
{
    /// <summary>The adapter name the documents are published under: <c>knowledgesource.&lt;namespace&gt;.&lt;name&gt;</c>.</summary>
    public string Adapter => $"knowledgesource.{Namespace}.{Source}";
}
