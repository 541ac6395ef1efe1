using Confluent.Kafka;

namespace ChasiSre.Platform.Kafka;

/// <summary>A record as a handler sees it: already size-checked and deserialized.</summary>
/// <typeparam name="T">The record value type.</typeparam>
/// <param name="Topic">Topic it was read from.</param>
/// <param name="Partition">Partition it was read from.</param>
/// <param name="Offset">Its offset.</param>
/// <param name="Key">The key, or <see langword="null"/>.</param>
/// <param name="Value">The value, or <see langword="null"/> for a Kafka tombstone.</param>
/// <param name="Headers">The record's headers.</param>
/// <param name="Timestamp">The record's timestamp (UTC).</param>
public sealed record ConsumedRecord<T>(
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    T? Value,
    Headers Headers,
    DateTimeOffset Timestamp)
    where T : class;
