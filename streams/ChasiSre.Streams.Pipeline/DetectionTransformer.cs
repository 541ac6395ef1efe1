using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// The detection processor of one stream task: a <see cref="DetectionEngine"/> per fleet (the record key), the
/// objects and events of every fleet kept in the <see cref="DetectionTopology.StateStore"/> (changelogged, so a task
/// that moves to another instance or restarts rebuilds its state before it processes), and a wall-clock punctuator
/// that flushes the engines and forwards incidents and the signals that changed.
/// </summary>
internal sealed class DetectionTransformer : ITransformer<string, DetectionInput, string, DetectionOutput>
{
    private const char Separator = '\u0001';

    // Store key suffix of a fleet's monitor state; object keys never start with a control character.
    private const string TelemetryKey = "\u0000telemetry";

    // Store key prefix (after the fleet) of an open incident, so a restart continues it under its id.
    private const string IncidentKey = "\u0000incident/";
    private readonly DetectionRuntime runtime;
    private readonly ILogger logger;
    private readonly Dictionary<string, DetectionEngine> engines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long LastSeenMs, bool Active)> publishedSignals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> telemetrySaved = new(StringComparer.Ordinal);
    private ProcessorContext<string, DetectionOutput>? context;
    private IKeyValueStore<string, byte[]>? store;
    private bool restored;
    private long flushesServed;

    private static readonly DetectionRuntime Unbound = DetectionRuntime.Default();

    /// <summary>Only for Streamiz's builder, which creates one instance as a template (and never runs it); each task's
    /// transformer is created with the arguments given to <c>Transformer&lt;T&gt;(runtime)</c>.</summary>
    public DetectionTransformer()
        : this(Unbound)
    {
    }

    public DetectionTransformer(DetectionRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        this.runtime = runtime;
        logger = runtime.LoggerFactory.CreateLogger<DetectionTransformer>();
    }

    public void Init(ProcessorContext<string, DetectionOutput> context)
    {
        this.context = context;
        store = (IKeyValueStore<string, byte[]>)context.GetStateStore(DetectionTopology.StateStore);
        context.Schedule(runtime.Options.FlushInterval, PunctuationType.PROCESSING_TIME, _ => Flush());
    }

    public Record<string, DetectionOutput>? Process(Record<string, DetectionInput> record)
    {
        RestoreOnce();
        var input = record.Value;
        if (input is null)
        {
            return null;
        }

        // Repartitioned records carry the fleet as their key; co-partitioned inputs keep their object keys.
        var fleet = runtime.Options.InputsPartitionedByFleet ? DetectionTopology.Fleet(input) : record.Key;

        var engine = Engine(fleet);
        byte[]? value = null;
        var objectJson = ReadOnlyMemory<byte>.Empty;
        if (store is not null && input.InputCase == DetectionInput.InputOneofCase.Object
            && input.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot && !engine.Holds(input.Object.Snapshot))
        {
            // The store's value is made first, so that the object's parsed JSON reads its bytes: one copy of the JSON.
            value = DetectionStateValue.Of(input);
            objectJson = DetectionStateValue.ObjectJson(value);
        }

        bool changed;
        try
        {
            changed = engine.Apply(input, runtime.Time.GetUtcNow(), objectJson);
        }
        catch (ArgumentException ex)
        {
            runtime.DeadLetters?.Reject(record.TopicPartitionOffset, record.Key, input, ex);
            runtime.Progress.Rejected();
            Log.DetectionInputRejected(logger, record.TopicPartitionOffset.Topic, record.TopicPartitionOffset.Partition.Value, record.TopicPartitionOffset.Offset.Value, ex.Message);
            return null;
        }

        if (changed)
        {
            // A version the engine holds already is in the store already: no second changelog write.
            Persist(fleet, input, value);
        }

        runtime.Progress.Applied();
        return null;
    }

    public void Close()
    {
    }

    private DetectionEngine Engine(string fleet)
    {
        if (!engines.TryGetValue(fleet, out var engine))
        {
            engine = new DetectionEngine(
                new DetectorRunner(runtime.Detectors(), runtime.LoggerFactory.CreateLogger<DetectorRunner>()),
                runtime.Correlation,
                runtime.Time.GetUtcNow(),
                runtime.Options.ResyncInterval,
                runtime.Options.MaxLogLinesPerContainer,
                runtime.LoggerFactory);
            engines[fleet] = engine;
        }

        return engine;
    }

    // The store holds what the engines were built from; after a restart or a rebalance the changelog has restored it
    // before the task runs, and the engines are rebuilt from it once.
    private void RestoreOnce()
    {
        if (restored || store is null)
        {
            return;
        }

        restored = true;
        var count = 0;
        List<(string Fleet, Incident Incident)>? carried = null;
        var now = runtime.Time.GetUtcNow();
        foreach (var entry in store.All())
        {
            var separator = entry.Key.IndexOf(Separator, StringComparison.Ordinal);
            if (separator <= 0 || entry.Value is null)
            {
                continue;
            }

            if (entry.Key.AsSpan(separator + 1).SequenceEqual(TelemetryKey))
            {
                RestoreTelemetry(entry.Key[..separator], entry.Key, entry.Value);
                continue;
            }

            if (entry.Key.AsSpan(separator + 1).StartsWith(IncidentKey, StringComparison.Ordinal))
            {
                try
                {
                    (carried ??= []).Add((entry.Key[..separator], Incident.Parser.ParseFrom(entry.Value)));
                }
                catch (InvalidProtocolBufferException ex)
                {
                    Log.RestoreSkipped(logger, entry.Key, ex.Message);
                }

                continue;
            }

            try
            {
                var input = DetectionInput.Parser.ParseFrom(entry.Value);
                Engine(entry.Key[..separator]).Apply(input, now, DetectionStateValue.ObjectJson(entry.Value));
                count++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidProtocolBufferException)
            {
                // Only applied records were stored; one that fails now was written by an incompatible version.
                Log.RestoreSkipped(logger, entry.Key, ex.Message);
            }
        }

        foreach (var group in (carried ?? []).GroupBy(c => c.Fleet, StringComparer.Ordinal))
        {
            Engine(group.Key).CarryIncidents(group.Select(c => c.Incident));
        }

        if (count > 0)
        {
            Log.Restored(logger, count, engines.Count);
        }
    }

    private void Persist(string fleet, DetectionInput input, byte[]? value)
    {
        if (store is null)
        {
            return;
        }

        switch (input.InputCase)
        {
            case DetectionInput.InputOneofCase.Object when input.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot:
                store.Put(StoreKey(fleet, input.Object.Snapshot.Ref), value ?? DetectionStateValue.Of(input));
                break;
            case DetectionInput.InputOneofCase.Object:
                store.Delete(StoreKey(fleet, input.Object.Tombstone.Ref));
                break;
            case DetectionInput.InputOneofCase.Event:
                store.Put(StoreKey(fleet, input.Event.Event), DetectionStateValue.Of(input));
                break;
            default:
                break; // Log lines are a bounded tail in memory; after a restart the log collector's next fetch refills it.
        }
    }

    private static string StoreKey(string fleet, ObjectRef reference) => $"{fleet}{Separator}{RecordKeys.ForObject(reference)}";

    private void RememberIncident(string fleet, Incident incident)
    {
        var key = fleet + Separator + IncidentKey + incident.Id;
        if (incident.State == IncidentState.Open)
        {
            store?.Put(key, incident.ToByteArray());
        }
        else
        {
            store?.Delete(key);
        }
    }

    // Value: each monitor's snapshot (metric, business, workload model) after its length (4 bytes, little endian).
    private void SaveTelemetry(string fleet, DetectionEngine engine, DateTimeOffset now)
    {
        if (store is null || (telemetrySaved.TryGetValue(fleet, out var saved) && now - saved < runtime.Options.TelemetrySnapshotInterval)
            || engine.TakeTelemetrySnapshot() is not { } snapshot)
        {
            return;
        }

        byte[][] parts = [snapshot.Metrics, snapshot.Business, snapshot.Workloads];
        var value = new byte[parts.Sum(p => 4 + p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(at), part.Length);
            part.CopyTo(value, at + 4);
            at += 4 + part.Length;
        }

        store.Put(fleet + Separator + TelemetryKey, value);
        telemetrySaved[fleet] = now;
    }

    private void RestoreTelemetry(string fleet, string key, byte[] value)
    {
        try
        {
            var parts = new List<ReadOnlyMemory<byte>>();
            var at = 0;
            while (at < value.Length)
            {
                var length = value.Length - at >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(at)) : -1;
                if (length < 0 || length > value.Length - at - 4)
                {
                    throw new ArgumentException($"monitor state of {value.Length} bytes declares a part of {length} bytes at {at}");
                }

                parts.Add(value.AsMemory(at + 4, length));
                at += 4 + length;
            }

            if (parts.Count != 3)
            {
                throw new ArgumentException($"monitor state has {parts.Count} parts, not 3");
            }

            Engine(fleet).RestoreTelemetry(parts[0].Span, parts[1].Span, parts[2].Span);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FormatException or EndOfStreamException)
        {
            // Written by an incompatible version: the monitors start over and learn again.
            Log.RestoreSkipped(logger, key, ex.Message);
        }
    }

    private void Flush()
    {
        if (context is null)
        {
            return;
        }

        if (runtime.FlushOnRequest)
        {
            var requested = runtime.Progress.FlushRequests;
            if (requested <= flushesServed)
            {
                return;
            }

            flushesServed = requested;
        }

        RestoreOnce();
        var now = runtime.Time.GetUtcNow();
        var incidents = 0;
        var signals = 0;
        foreach (var (fleet, engine) in engines)
        {
            var flushed = engine.Flush(now);
            SaveTelemetry(fleet, engine, now);
            foreach (var change in flushed)
            {
                RememberIncident(fleet, change.Incident);
                context.Forward(change.Key, new DetectionOutput(change.Incident, null));
                incidents++;
                foreach (var signal in ChangedSignals(change))
                {
                    context.Forward(RecordKeys.ForObject(signal.Subject), new DetectionOutput(null, signal));
                    signals++;
                }
            }
        }

        runtime.Progress.Published(incidents, signals);
        if (engines.Count > 0)
        {
            // A task that holds no fleet has judged nothing: a replay waiting for its fleet's flush must not take it
            // for one.
            runtime.Progress.Flushed();
        }
    }

    // A signal goes out when it is new, was seen again later, or changed between active and cleared; signals of a
    // resolved incident go out once more (inactive) and are then forgotten.
    private List<Signal> ChangedSignals(IncidentChange change)
    {
        var changed = new List<Signal>();
        var resolved = change.Kind == IncidentChangeKind.Resolved;
        foreach (var signal in change.Incident.Signals)
        {
            var lastSeen = signal.LastSeen?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0;
            var active = signal.Active && !resolved;
            if (!publishedSignals.TryGetValue(signal.Id, out var previous) || previous.LastSeenMs != lastSeen || previous.Active != active)
            {
                var copy = signal.Clone();
                copy.Active = active;
                changed.Add(copy);
            }

            if (resolved)
            {
                publishedSignals.Remove(signal.Id);
            }
            else
            {
                publishedSignals[signal.Id] = (lastSeen, active);
            }
        }

        return changed;
    }
}
