namespace ChasiSre.Sdk;

/// <summary>A serialized record ready for Kafka.</summary>
internal sealed record OutgoingRecord(string Topic, string Key, byte[] Value, string Schema, string? TraceParent, string? TraceState);
