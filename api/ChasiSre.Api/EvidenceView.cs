namespace ChasiSre.Api;

/// <summary>A record a diagnosis rests on.</summary>
public sealed record EvidenceView(string Topic, string Key, string RecordId, string Summary, DateTimeOffset? At);
