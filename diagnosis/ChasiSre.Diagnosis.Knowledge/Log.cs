using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Log messages of the knowledge base (event ids 3000-3099). Query text only at Trace through *Sensitive methods.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Knowledge base opened: {Chunks} chunks from {Sources} sources, vector store {VectorStore} with {Vectors} vectors")]
    public static partial void Opened(ILogger logger, int chunks, int sources, string vectorStore, long vectors);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Indexed {Source} (tenant {Tenant}): {Chunks} chunks, {Duplicates} duplicate chunks dropped")]
    public static partial void DocumentIndexed(ILogger logger, string source, string tenant, int chunks, int duplicates);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Unchanged: {Source} (tenant {Tenant})")]
    public static partial void DocumentUnchanged(ILogger logger, string source, string tenant);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Skipped {Source}: {Reason}")]
    public static partial void DocumentSkipped(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Could not index {Source}: {Reason}")]
    public static partial void DocumentFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Removed {Source} (tenant {Tenant}): {Chunks} chunks")]
    public static partial void DocumentRemoved(ILogger logger, string source, string tenant, int chunks);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "{Mode} search for tenant {Tenant}: {Results} results in {ElapsedMilliseconds} ms")]
    public static partial void Searched(ILogger logger, RetrievalMode mode, string tenant, int results, double elapsedMilliseconds);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Trace, Message = "Query: {Query}")]
    public static partial void QuerySensitive(ILogger logger, string query);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Vector search returned {Count} chunk ids missing from the BM25 catalog (left by an interrupted write); they are ignored")]
    public static partial void OrphanVectors(ILogger logger, int count);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Embedding endpoint {Endpoint} returned {Count} vectors of {Dimensions} dimensions")]
    public static partial void EndpointEmbeddings(ILogger logger, Uri endpoint, int count, int dimensions);
}
