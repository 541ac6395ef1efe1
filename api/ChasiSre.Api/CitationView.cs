namespace ChasiSre.Api;

/// <summary>A knowledge base chunk a diagnosis cites.</summary>
public sealed record CitationView(string DocumentId, string Title, string ChunkId, double Score);
