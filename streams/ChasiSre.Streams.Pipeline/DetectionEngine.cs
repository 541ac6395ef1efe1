using System.Text.Json;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Metrics;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// Detection and correlation for one fleet (a host cluster and every vCluster on it): records change an
/// <see cref="InMemoryClusterState"/> and mark the objects they touch; <see cref="Flush"/> runs the detectors over the
/// marked objects, correlates their findings and advances incident lifecycles.
/// </summary>
/// <remarks>
/// Marking instead of evaluating on every record batches a burst (a rollout writes a Deployment, two ReplicaSets and
/// their pods within milliseconds) into one judgement of the end state, the way an informer's work queue does, and
/// bounds the work of a hot object to one evaluation per flush. What a record touches: an object itself; an Event
/// its involved object; a log line its pod; Endpoints their Service; a deleted object its controllers (a Deployment
/// whose failing pod was replaced, a Job). Not thread-safe: one engine belongs to one stream task.
/// </remarks>
public sealed class DetectionEngine
{
    private readonly InMemoryClusterState state;
    private readonly DetectorRunner runner;
    private readonly IncidentCorrelator correlator;
    private readonly TimeSpan resyncInterval;
    private readonly Dictionary<(string Cluster, string Kind, string Namespace, string Name), ObjectRef> dirty = [];
    private readonly MetricAnomalyMonitor metrics;
    private readonly BusinessHealthMonitor business;
    private readonly WorkloadPcaMonitor workloads;
    private readonly List<SourceFindings> telemetry = [];
    private DateTimeOffset lastResync;
    private bool telemetryChanged;

    /// <summary>Creates an empty engine.</summary>
    /// <param name="runner">The detectors.</param>
    /// <param name="correlation">Correlation settings.</param>
    /// <param name="now">The time the state starts at.</param>
    /// <param name="resyncInterval">How often every object is judged again, so that detectors judging by elapsed time
    /// (a pod Pending for five minutes) fire without a new record.</param>
    /// <param name="maxLogLinesPerContainer">Newest log lines kept per container instance.</param>
    /// <param name="loggerFactory">Logs of the correlator.</param>
    public DetectionEngine(
        DetectorRunner runner,
        CorrelationOptions correlation,
        DateTimeOffset now,
        TimeSpan resyncInterval,
        int maxLogLinesPerContainer = 200,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(correlation);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resyncInterval, TimeSpan.Zero);
        this.runner = runner;
        this.resyncInterval = resyncInterval;
        state = new InMemoryClusterState(now, maxLogLinesPerContainer);
        correlator = new IncidentCorrelator(correlation, loggerFactory?.CreateLogger<IncidentCorrelator>());
        metrics = new MetricAnomalyMonitor(new MetricAnomalyOptions(), loggerFactory?.CreateLogger<MetricAnomalyMonitor>());
        business = new BusinessHealthMonitor(new BusinessHealthOptions(), loggerFactory?.CreateLogger<BusinessHealthMonitor>());
        workloads = new WorkloadPcaMonitor(new WorkloadPcaOptions(), reference => RootCauseResolver.OwningWorkload(reference, state), loggerFactory?.CreateLogger<WorkloadPcaMonitor>());
        lastResync = now;
    }

    /// <summary>The fleet's state as the detectors see it.</summary>
    public IClusterState State => state;

    /// <summary>How many objects wait for the next <see cref="Flush"/>.</summary>
    public int Pending => dirty.Count;

    /// <summary>How many objects are known.</summary>
    public int Objects => state.Count;

    /// <summary>Applies one record of the detection input. The engine keeps what it needs of the record (events and log
    /// lines as they are, naming their object by the reference the state holds): do not change it afterwards.</summary>
    /// <returns>False when the record changed nothing: the snapshot of an object version the state already holds
    /// (<see cref="KubeObject.IsSameVersion"/>: a relist, a resync, a republished topic), which is neither parsed nor
    /// judged again.</returns>
    /// <exception cref="ArgumentException">The record is empty or its object cannot be read (for the dead-letter topic).</exception>
    public bool Apply(DetectionInput input, DateTimeOffset now) => Apply(input, now, ReadOnlyMemory<byte>.Empty);

    /// <summary>True when the state holds this very version of the snapshot's object (<see cref="Apply(DetectionInput, DateTimeOffset)"/>
    /// would skip it).</summary>
    internal bool Holds(ObjectSnapshot snapshot) =>
        snapshot.Ref is { } reference
        && state.Find(reference.Cluster, reference.Kind, reference.Namespace, reference.Name) is { } known
        && known.IsSameVersion(snapshot);

    /// <summary>As <see cref="Apply(DetectionInput, DateTimeOffset)"/>, reading a snapshot's JSON from
    /// <paramref name="objectJson"/> (the same bytes, kept elsewhere: the state store's value) instead of the message's
    /// copy when it is given.</summary>
    internal bool Apply(DetectionInput input, DateTimeOffset now, ReadOnlyMemory<byte> objectJson)
    {
        ArgumentNullException.ThrowIfNull(input);
        Advance(now);
        switch (input.InputCase)
        {
            case DetectionInput.InputOneofCase.Object when input.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot:
                return ApplySnapshot(input.Object.Snapshot, objectJson);
            case DetectionInput.InputOneofCase.Object when input.Object.RecordCase == ObjectRecord.RecordOneofCase.Tombstone:
                ApplyTombstone(input.Object.Tombstone);
                return true;
            case DetectionInput.InputOneofCase.Event:
                ApplyEvent(input.Event);
                return true;
            case DetectionInput.InputOneofCase.Log:
                ApplyLog(input.Log);

                // Error lines of pods the workload model knows from their metrics count towards its error-log rate
                // (a lookup for every other line). Its state changes with those pods' metrics, which mark it changed.
                if (workloads.ObserveLog(input.Log) is { Count: > 0 } windowClosed)
                {
                    telemetry.AddRange(windowClosed);
                    telemetryChanged = true;
                }

                return true;
            case DetectionInput.InputOneofCase.Metric:
                telemetry.AddRange(metrics.Observe(input.Metric));
                telemetry.AddRange(workloads.Observe(input.Metric));
                telemetryChanged = true;
                return true;
            case DetectionInput.InputOneofCase.Business:
                telemetry.AddRange(business.Observe(input.Business));
                telemetryChanged = true;
                return true;
            case DetectionInput.InputOneofCase.Alert:
                telemetry.Add(AlertFindings(input.Alert));
                return true;
            default:
                throw new ArgumentException($"empty detection input ({input.InputCase}/{input.Object?.RecordCase})", nameof(input));
        }
    }

    /// <summary>
    /// Judges every marked object (every object when the resync interval has passed), correlates, and advances the
    /// incident lifecycles to <paramref name="now"/>. Returns what to publish.
    /// </summary>
    public IReadOnlyList<IncidentChange> Flush(DateTimeOffset now)
    {
        Advance(now);
        var changes = new List<IncidentChange>();
        var resync = now - lastResync >= resyncInterval;
        var marked = dirty.Values.ToList();
        dirty.Clear();
        foreach (var reference in marked)
        {
            // On a resync only the objects that are gone: the resync judges every object that is still here.
            if (!resync || state.Find(reference.Cluster, reference.Kind, reference.Namespace, reference.Name) is null)
            {
                changes.AddRange(Evaluate(reference));
            }
        }

        if (resync)
        {
            lastResync = now;
            changes.AddRange(Resync());
        }

        changes.AddRange(CorrelateTelemetry());
        changes.AddRange(correlator.Advance(state.Now));
        return changes;
    }

    /// <summary>
    /// The metric and business monitors' state (series windows, learnt bands, adapter health), when it changed since the
    /// last call; null otherwise. For the changelogged store: restore it with <see cref="RestoreTelemetry"/>.
    /// </summary>
    internal (byte[] Metrics, byte[] Business, byte[] Workloads)? TakeTelemetrySnapshot()
    {
        if (!telemetryChanged)
        {
            return null;
        }

        telemetryChanged = false;
        return (metrics.Snapshot(), business.Snapshot(), workloads.Snapshot());
    }

    /// <summary>Open incidents published before a restart: they continue under their ids (<see cref="IncidentCorrelator.Carry"/>).</summary>
    internal void CarryIncidents(IEnumerable<Incident> earlier) => correlator.Carry(earlier);

    /// <summary>Restores what <see cref="TakeTelemetrySnapshot"/> returned.</summary>
    internal void RestoreTelemetry(ReadOnlySpan<byte> metricState, ReadOnlySpan<byte> businessState, ReadOnlySpan<byte> workloadState = default)
    {
        if (!workloadState.IsEmpty)
        {
            workloads.Restore(workloadState);
        }

        if (!metricState.IsEmpty)
        {
            metrics.Restore(metricState);
        }

        if (!businessState.IsEmpty)
        {
            business.Restore(businessState);
        }
    }

    // Anomalies and business health go through the same correlator as the detectors' findings, so a business
    // degradation whose dependency already has an incident joins it (BusinessDependencyLinker), and one host cause stays
    // one incident.
    private List<IncidentChange> CorrelateTelemetry()
    {
        var updates = new List<SourceFindings>(telemetry);
        telemetry.Clear();
        var before = updates.Count;
        updates.AddRange(metrics.Advance(state.Now));
        updates.AddRange(business.Advance(state.Now));
        updates.AddRange(workloads.Advance(state.Now));
        telemetryChanged |= updates.Count > before;
        var changes = new List<IncidentChange>();
        if (updates.Count == 0)
        {
            return changes;
        }

        var open = correlator.Incidents();
        foreach (var update in updates)
        {
            var findings = update.Findings.Select(f => BusinessDependencyLinker.Link(f, open, state)).ToList();
            changes.AddRange(correlator.Evaluate(update.SourceKey, findings, state));
        }

        return changes;
    }

    /// <summary>Prefix of the correlator source keys of alerts (signals from outside the topology).</summary>
    public const string AlertSourcePrefix = "alert:";

    // An alert raises (or, inactive, clears) one finding under its own source key: the same alert again replaces it, and
    // the correlator groups it with the detectors' findings on the same subject or cause. An unknown category is a
    // MetricAnomaly: what Prometheus rules usually are.
    private static SourceFindings AlertFindings(Signal alert)
    {
        if (alert.Subject is null || alert.Id.Length == 0 || alert.Detector.Length == 0)
        {
            throw new ArgumentException("an alert needs an id, a detector and a subject", nameof(alert));
        }

        var key = AlertSourcePrefix + alert.Detector + "|" + alert.Id;
        if (!alert.Active)
        {
            return new SourceFindings(key, []);
        }

        var category = Enum.TryParse<IncidentCategory>(alert.Category, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : IncidentCategory.MetricAnomaly;
        var finding = new Finding(
            alert.Detector,
            category,
            alert.Subject.Clone(),
            alert.Severity == Severity.Unspecified ? Severity.Warning : alert.Severity,
            alert.Reason.Length == 0 ? alert.Detector : alert.Reason,
            alert.Message,
            [.. alert.Evidence.Select(e => e.Summary).Where(e => e.Length > 0)],
            alert.Cause?.Clone())
        {
            Attributes = new Dictionary<string, string>(alert.Attributes, StringComparer.Ordinal),
        };
        return new SourceFindings(key, [finding]);
    }

    /// <summary>Judges every known object again (an informer resync) without advancing lifecycles.</summary>
    public IReadOnlyList<IncidentChange> Resync()
    {
        var changes = new List<IncidentChange>();
        foreach (var cluster in state.Clusters)
        {
            foreach (var kind in runner.Kinds)
            {
                foreach (var obj in state.List(cluster, kind).ToList())
                {
                    changes.AddRange(correlator.Evaluate(obj.Ref, runner.Run(obj, state), state));
                }
            }
        }

        return changes;
    }

    private void Advance(DateTimeOffset now)
    {
        // Records may carry times from several clocks; the state's time never goes back.
        if (now > state.Now)
        {
            state.SetNow(now);
        }
    }

    private bool ApplySnapshot(ObjectSnapshot snapshot, ReadOnlyMemory<byte> objectJson)
    {
        if (snapshot.Ref is null)
        {
            throw new ArgumentException("snapshot without an object reference", nameof(snapshot));
        }

        if (snapshot.ObjectJsonOmitted || snapshot.ObjectJson.IsEmpty)
        {
            // Too large to publish: ingest dead-lettered it. The detectors cannot judge what they cannot read, and an
            // older version must not stand in for it.
            Remove(snapshot.Ref);
            return true;
        }

        var known = state.Find(snapshot.Ref.Cluster, snapshot.Ref.Kind, snapshot.Ref.Namespace, snapshot.Ref.Name);
        if (known is not null && known.IsSameVersion(snapshot))
        {
            // The version judged already: nothing to parse, nothing the detectors could see differently (time-driven
            // findings come from the resync).
            return false;
        }

        JsonElement json;
        try
        {
            // Read in place (the bytes never change: a ByteString, or the store's value) and not disposed: the element
            // is the object's for as long as the state holds it, and its row table is left to the garbage collector.
#pragma warning disable CA2000
            json = JsonDocument.Parse(objectJson.IsEmpty ? snapshot.ObjectJson.Memory : objectJson).RootElement;
#pragma warning restore CA2000
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"object_json of {snapshot.Ref.Kind} {snapshot.Ref.Namespace}/{snapshot.Ref.Name} is not JSON: {ex.Message}", nameof(snapshot), ex);
        }

        // A new version of a known object keeps the identity it had (most records are updates): the state holds one
        // reference per object instead of a copy per version, and the copy just read goes with the record.
        var identity = known is not null && known.Ref.Equals(snapshot.Ref) ? known.Ref : snapshot.Ref;
        var kubeObject = new KubeObject(identity, json, snapshot.ResourceVersion, snapshot.ObservedAt?.ToDateTimeOffset() ?? state.Now);

        state.Apply(kubeObject);
        Mark(kubeObject.Ref);
        if (kubeObject.Ref.Kind == "Endpoints"
            && state.Find(kubeObject.Ref.Cluster, "Service", kubeObject.Ref.Namespace, kubeObject.Ref.Name) is { } service)
        {
            // The endpoints controller writes a Service's Endpoints, not the Service.
            Mark(service.Ref);
        }

        return true;
    }

    private void ApplyTombstone(ObjectTombstone tombstone) => Remove(tombstone.Ref);

    private void Remove(ObjectRef reference)
    {
        var existing = state.Find(reference.Cluster, reference.Kind, reference.Namespace, reference.Name);
        state.Remove(reference);
        // A deleted object reports nothing any more (its incident may resolve); whatever controlled it is judged again.
        Mark(existing?.Ref ?? reference);
        if (existing is not null)
        {
            MarkOwners(existing);
        }
    }

    private void ApplyEvent(KubeEvent kubeEvent)
    {
        var involved = kubeEvent.Involved;
        var target = involved is null ? null : state.Find(involved.Cluster, involved.Kind, involved.Namespace, involved.Name);
        if (target is not null && target.Ref.Equals(involved))
        {
            // The event is kept: it names its object by the reference the state holds already.
            kubeEvent.Involved = target.Ref;
        }

        state.AddEvent(kubeEvent);
        if (target is not null)
        {
            Mark(target.Ref);
        }
    }

    private void ApplyLog(LogRecord line)
    {
        var pod = line.Source;
        var target = pod is null ? null : state.Find(pod.Cluster, pod.Kind, pod.Namespace, pod.Name);
        if (target is not null && target.Ref.Equals(pod))
        {
            // The line is kept: it names its pod by the reference the state holds already.
            line.Source = target.Ref;
        }

        state.AddLog(line);
        if (target is not null)
        {
            Mark(target.Ref);
        }
    }

    private void MarkOwners(KubeObject removed)
    {
        if (!removed.Json.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("ownerReferences", out var owners)
            || owners.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var owner in owners.EnumerateArray())
        {
            if (owner.TryGetProperty("kind", out var kind) && owner.TryGetProperty("name", out var name)
                && state.Find(removed.Ref.Cluster, kind.GetString() ?? "", removed.Ref.Namespace, name.GetString() ?? "") is { } found)
            {
                Mark(found.Ref);
            }
        }
    }

    private IReadOnlyList<IncidentChange> Evaluate(ObjectRef reference)
    {
        var current = state.Find(reference.Cluster, reference.Kind, reference.Namespace, reference.Name);
        IReadOnlyList<Finding> findings = current is null ? [] : runner.Run(current, state);
        return correlator.Evaluate(current?.Ref ?? reference, findings, state);
    }

    private void Mark(ObjectRef reference) =>
        dirty[(reference.Cluster, reference.Kind, reference.Namespace, reference.Name)] = reference;
}
