using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// What an evidence pack is built from, besides the incident itself (its signals, subject and affected objects, whose
/// twins give the host ↔ virtual mapping). Every list may be empty; order does not matter (the builder sorts, so ids
/// are stable).
/// </summary>
public sealed record EvidenceInputs
{
    /// <summary>No inputs: a pack from the incident alone.</summary>
    public static EvidenceInputs Empty { get; } = new();

    /// <summary>Snapshots of the subject and related objects; the highest resourceVersion of each object is used.</summary>
    public IReadOnlyList<ObjectSnapshot> Objects { get; init; } = [];

    /// <summary>Kubernetes events about those objects.</summary>
    public IReadOnlyList<KubeEvent> Events { get; init; } = [];

    /// <summary>Log lines of the related pods (already redacted upstream).</summary>
    public IReadOnlyList<LogRecord> Logs { get; init; } = [];

    /// <summary>
    /// Signals besides the incident's own: rule findings join the signals section, statistical ones (score below 1,
    /// detectors <c>anomaly.*</c>, category MetricAnomaly) the metrics section.
    /// </summary>
    public IReadOnlyList<Signal> Signals { get; init; } = [];

    /// <summary>Metric series around the incident, summarised in the metrics section.</summary>
    public IReadOnlyList<MetricSample> Metrics { get; init; } = [];

    /// <summary>Business adapter records (status, events, logs, configuration, runbooks).</summary>
    public IReadOnlyList<BusinessRecord> Business { get; init; } = [];

    /// <summary>Retrieved knowledge chunks, best first.</summary>
    public IReadOnlyList<KnowledgeEvidence> Knowledge { get; init; } = [];

    /// <summary>
    /// What a store holds after <paramref name="records"/> (the detection input, in order): the latest snapshot of every
    /// object still there, every event at its latest count, every log line. Replays and one-shot analyses use it where
    /// there is no ClickHouse to load from.
    /// </summary>
    public static EvidenceInputs FromRecords(IEnumerable<DetectionInput> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var objects = new Dictionary<string, ObjectSnapshot>(StringComparer.Ordinal);
        var events = new Dictionary<string, KubeEvent>(StringComparer.Ordinal);
        var logs = new List<LogRecord>();
        foreach (var record in records)
        {
            switch (record.InputCase)
            {
                case DetectionInput.InputOneofCase.Object when record.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot:
                    objects[RecordKeys.ForObject(record.Object.Snapshot.Ref)] = record.Object.Snapshot;
                    break;
                case DetectionInput.InputOneofCase.Object when record.Object.RecordCase == ObjectRecord.RecordOneofCase.Tombstone:
                    objects.Remove(RecordKeys.ForObject(record.Object.Tombstone.Ref));
                    break;
                case DetectionInput.InputOneofCase.Event:
                    events[RecordKeys.ForObject(record.Event.Event)] = record.Event;
                    break;
                case DetectionInput.InputOneofCase.Log:
                    logs.Add(record.Log);
                    break;
                default:
                    break;
            }
        }

        return new EvidenceInputs { Objects = [.. objects.Values], Events = [.. events.Values], Logs = logs };
    }
}
