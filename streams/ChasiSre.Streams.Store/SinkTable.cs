using ChasiSre.Platform.Kafka;
using Google.Protobuf;

namespace ChasiSre.Streams.Store;

/// <summary>
/// Where the records of one topic go: the table (without database), its columns, and the mapping
/// of a record to one row in column order (<see langword="null"/>: nothing to write, e.g. a
/// compaction tombstone). The mapping throws <see cref="UnmappableRecordException"/> for a record
/// that cannot become a row.
/// </summary>
internal sealed record SinkTable<T>(string Topic, string Table, IReadOnlyList<string> Columns, Func<ConsumedRecord<T>, object?[]?> Map)
    where T : class, IMessage<T>, new();
