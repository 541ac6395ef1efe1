using System.Globalization;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics;

/// <summary>
/// Judges business adapters from what they report on <c>chasi.business.v1</c> and raises a
/// <see cref="IncidentCategory.BusinessDegradation"/> finding about <c>{cluster: tenant, kind: BusinessAdapter, name: adapter}</c>
/// when one of these holds: its status has said unhealthy for at least <see cref="BusinessHealthOptions.UnhealthyDebounce"/>;
/// a higher-is-better KPI is <see cref="BusinessHealthOptions.KpiDropFraction"/> or more below its healthy baseline; or
/// <see cref="BusinessHealthOptions.ErrorBurst"/> Error events and error log lines arrived within
/// <see cref="BusinessHealthOptions.ErrorBurstWindow"/>. The finding's <see cref="Finding.Related"/> lists the Kubernetes
/// objects the status says the system depends on, so the correlator (through <c>BusinessDependencyLinker</c>) can attach
/// it to an incident of one of them. It clears when none holds any more.
/// </summary>
/// <remarks>Deterministic (time is the records' time and the time given to <see cref="Advance"/>); thread-safe (one lock).</remarks>
public sealed class BusinessHealthMonitor
{
    /// <summary>Detector name of the findings.</summary>
    public const string DetectorName = "business.health";

    /// <summary>Prefix of the correlator source keys this monitor reports under.</summary>
    public const string SourcePrefix = "business:";

    /// <summary>Kind of the subject of business findings (scenarios/FORMAT.md).</summary>
    public const string SubjectKind = "BusinessAdapter";

    /// <summary>API version of the subject of business findings.</summary>
    public const string SubjectApiVersion = "business.chasi.io/v1";

    private const int SnapshotMagic = 0x42534843; // "CHSB"
    private const byte SnapshotVersion = 1;
    private const int MaxErrorsKept = 1000;

    private readonly BusinessHealthOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<AdapterState>> adapters = new(StringComparer.Ordinal);
    private readonly LinkedList<AdapterState> recency = new();

    /// <summary>Creates an empty monitor; throws <see cref="OptionsValidationException"/> for invalid options.</summary>
    public BusinessHealthMonitor(BusinessHealthOptions options, ILogger<BusinessHealthMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new BusinessHealthOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BusinessHealthOptions), validation.Failures);
        }

        this.options = options;
        this.logger = logger ?? NullLogger<BusinessHealthMonitor>.Instance;
    }

    /// <summary>How many adapters are tracked.</summary>
    public int AdapterCount
    {
        get
        {
            lock (gate)
            {
                return adapters.Count;
            }
        }
    }

    /// <summary>The subject of an adapter's findings: the tenant as its cluster, kind BusinessAdapter, the adapter's name.</summary>
    public static ObjectRef Subject(string tenant, string adapter)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(adapter);
        return new ObjectRef
        {
            Cluster = tenant,
            Tenant = tenant,
            Layer = Layer.Business,
            ApiVersion = SubjectApiVersion,
            Kind = SubjectKind,
            Name = adapter,
        };
    }

    /// <summary>The correlator source key of an adapter.</summary>
    public static string SourceKey(ObjectRef subject) => SourcePrefix + RecordKeys.ForObject(subject);

    /// <summary>Takes in one business record (status, event or log; config and runbooks are not health and are ignored).</summary>
    public IReadOnlyList<SourceFindings> Observe(BusinessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var changes = new List<SourceFindings>();
        if (record.Adapter.Length == 0 || record.At is null
            || record.RecordCase is not (BusinessRecord.RecordOneofCase.Status or BusinessRecord.RecordOneofCase.Event or BusinessRecord.RecordOneofCase.Log))
        {
            MetricsTelemetry.BusinessRecords.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.OutcomeTag, "ignored"));
            return changes;
        }

        var tenant = record.Subject is { Tenant.Length: > 0 } ? record.Subject.Tenant : record.Subject?.Cluster ?? "";
        var at = record.At.ToDateTimeOffset();
        lock (gate)
        {
            var state = Touch(Subject(tenant, record.Adapter), changes);
            if (at > state.LastSeen)
            {
                state.LastSeen = at;
            }

            switch (record.RecordCase)
            {
                case BusinessRecord.RecordOneofCase.Status:
                    ApplyStatus(state, record.Status, at);
                    break;
                case BusinessRecord.RecordOneofCase.Event when string.Equals(record.Event.Type, "Error", StringComparison.OrdinalIgnoreCase):
                    AddError(state, at, $"Error event {record.Event.Reason}: {record.Event.Message}");
                    break;
                case BusinessRecord.RecordOneofCase.Log when record.Log.Level >= ChasiSre.Schemas.V1.LogLevel.Error:
                    AddError(state, record.Log.At?.ToDateTimeOffset() ?? at, $"{(record.Log.Level == ChasiSre.Schemas.V1.LogLevel.Fatal ? "fatal" : "error")} log: {record.Log.Message}");
                    break;
                default:
                    break;
            }

            MetricsTelemetry.BusinessRecords.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.OutcomeTag, record.RecordCase.ToString().ToLowerInvariant()));
            Evaluate(state, state.LastSeen, changes);
        }

        return changes;
    }

    /// <summary>Moves time to <paramref name="now"/>: debounced unhealthy states become findings, error bursts age out, idle adapters are forgotten.</summary>
    public IReadOnlyList<SourceFindings> Advance(DateTimeOffset now)
    {
        var changes = new List<SourceFindings>();
        lock (gate)
        {
            foreach (var state in recency.ToList())
            {
                if (now - state.LastSeen >= options.IdleTimeout)
                {
                    Evict(state, "idle", changes);
                    continue;
                }

                Evaluate(state, now, changes);
            }
        }

        return changes;
    }

    /// <summary>Everything tracked, as versioned bytes.</summary>
    public byte[] Snapshot()
    {
        lock (gate)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer))
            {
                writer.Write(SnapshotMagic);
                writer.Write(SnapshotVersion);
                writer.Write(adapters.Count);
                foreach (var state in recency)
                {
                    state.Write(writer);
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>Replaces the monitor's state with a <see cref="Snapshot"/>.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot of this monitor, or truncated.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var restored = new List<AdapterState>();
        using (var reader = new BinaryReader(new MemoryStream(snapshot.ToArray())))
        {
            try
            {
                if (reader.ReadInt32() != SnapshotMagic || reader.ReadByte() != SnapshotVersion)
                {
                    throw new InvalidDataException("not a business health monitor snapshot of this version");
                }

                for (var count = reader.ReadInt32(); count > 0; count--)
                {
                    restored.Add(AdapterState.Read(reader));
                }
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException("the snapshot is truncated", ex);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or DecoderFallbackException)
            {
                // Garbage where a string, a time or an enum was expected.
                throw new InvalidDataException("the snapshot is corrupt", ex);
            }
        }

        lock (gate)
        {
            adapters.Clear();
            recency.Clear();
            foreach (var state in restored.TakeLast(options.MaxAdapters))
            {
                adapters[state.Key] = recency.AddLast(state);
            }
        }
    }

    private AdapterState Touch(ObjectRef subject, List<SourceFindings> changes)
    {
        var key = SourceKey(subject);
        if (adapters.TryGetValue(key, out var node))
        {
            recency.Remove(node);
            recency.AddLast(node);
            return node.Value;
        }

        while (adapters.Count >= options.MaxAdapters && recency.First is { } oldest)
        {
            Evict(oldest.Value, "capacity", changes);
        }

        var state = new AdapterState(key, subject);
        adapters[key] = recency.AddLast(state);
        return state;
    }

    private void Evict(AdapterState state, string reason, List<SourceFindings> changes)
    {
        if (!adapters.Remove(state.Key, out var node))
        {
            return;
        }

        recency.Remove(node);
        MetricsTelemetry.Evictions.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.ReasonTag, reason));
        logger.SeriesEvicted(state.Key, reason);
        if (state.Active)
        {
            Replace(changes, new SourceFindings(state.Key, []));
        }
    }

    private void ApplyStatus(AdapterState state, BusinessStatus status, DateTimeOffset at)
    {
        state.HasStatus = true;
        state.Summary = status.Summary;
        if (status.Healthy)
        {
            state.Healthy = true;
            state.UnhealthySince = null;
        }
        else if (state.Healthy || state.UnhealthySince is null)
        {
            state.Healthy = false;
            state.UnhealthySince = at;
        }

        state.Kpis.Clear();
        state.KpiBaselines.Clear();
        foreach (var (name, value) in status.Metrics.Where(m => double.IsFinite(m.Value)))
        {
            var values = state.Baselines.GetValueOrDefault(name);
            var baseline = values is { Count: > 0 } && values.Count >= options.MinBaselineReports ? values.Average() : double.NaN;
            state.Kpis[name] = value;
            state.KpiBaselines[name] = baseline;

            // A report that says healthy while a KPI has dropped does not teach the baseline that the drop is normal.
            if (status.Healthy && !Dropped(name, value, baseline))
            {
                if (values is null)
                {
                    values = new Queue<double>();
                    state.Baselines[name] = values;
                }

                values.Enqueue(value);
                while (values.Count > options.KpiBaselineReports)
                {
                    values.Dequeue();
                }
            }
        }

        if (status.DependsOn.Count > 0)
        {
            state.DependsOn.Clear();
            state.DependsOn.AddRange(status.DependsOn.Select(d => d.Clone()));
        }
    }

    private static void AddError(AdapterState state, DateTimeOffset at, string text)
    {
        state.Errors.Add((at, text.Length > 300 ? text[..300] : text));
        state.Errors.Sort((a, b) => a.At.CompareTo(b.At));
        if (state.Errors.Count > MaxErrorsKept)
        {
            state.Errors.RemoveRange(0, state.Errors.Count - MaxErrorsKept);
        }
    }

    private void Evaluate(AdapterState state, DateTimeOffset now, List<SourceFindings> changes)
    {
        state.Errors.RemoveAll(e => e.At <= now - options.ErrorBurstWindow);
        var unhealthy = !state.Healthy && state.UnhealthySince is { } since && now - since >= options.UnhealthyDebounce;
        var drops = Drops(state).ToList();
        var burst = state.Errors.Count(e => e.At <= now) >= options.ErrorBurst;
        var reason = unhealthy ? "Unhealthy" : drops.Count > 0 ? "KpiDrop" : burst ? "ErrorBurst" : null;
        if (reason is null)
        {
            if (state.Active)
            {
                state.Active = false;
                state.ActiveReason = "";
                MetricsTelemetry.Finding(DetectorName, raised: false);
                logger.BusinessDegradationCleared(state.Key);
                Replace(changes, new SourceFindings(state.Key, []));
            }

            return;
        }

        if (state.Active && state.ActiveReason == reason)
        {
            return;
        }

        if (!state.Active)
        {
            MetricsTelemetry.Finding(DetectorName, raised: true);
            logger.BusinessDegradationRaised(state.Key, reason);
        }

        state.Active = true;
        state.ActiveReason = reason;
        Replace(changes, new SourceFindings(state.Key, [ToFinding(state, reason, unhealthy, drops, now)]));
    }

    private IEnumerable<(string Name, double Value, double Baseline)> Drops(AdapterState state)
    {
        foreach (var (name, value) in state.Kpis.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var baseline = state.KpiBaselines.GetValueOrDefault(name, double.NaN);
            if (Dropped(name, value, baseline))
            {
                yield return (name, value, baseline);
            }
        }
    }

    private bool Dropped(string name, double value, double baseline) =>
        double.IsFinite(baseline) && baseline > 0 && value <= baseline * (1 - options.KpiDropFraction)
        && !options.LowerIsBetterSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private Finding ToFinding(AdapterState state, string reason, bool unhealthy, List<(string Name, double Value, double Baseline)> drops, DateTimeOffset now)
    {
        var adapter = state.Subject.Name;
        var tenant = state.Subject.Cluster;
        var evidence = new List<string>();
        var parts = new List<string>();
        if (unhealthy)
        {
            evidence.Add($"status unhealthy since {MetricAnomalyMonitor.Time(state.UnhealthySince!.Value)}: {state.Summary}");
            parts.Add($"unhealthy for {(now - state.UnhealthySince!.Value).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s ({state.Summary})");
        }

        foreach (var (name, value, baseline) in drops)
        {
            var drop = (1 - (value / baseline)) * 100;
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"KPI {name} {MetricAnomalyMonitor.Number(value)}, {drop:0}% below its healthy baseline {MetricAnomalyMonitor.Number(baseline)}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} down {drop:0}%"));
        }

        var errors = state.Errors.Where(e => e.At <= now).ToList();
        if (errors.Count > 0)
        {
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{errors.Count} error event(s) and log line(s) in the last {options.ErrorBurstWindow}"));
            evidence.AddRange(errors.TakeLast(5).Select(e => $"{MetricAnomalyMonitor.Time(e.At)} {e.Text}"));
            if (errors.Count >= options.ErrorBurst)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{errors.Count} errors in {options.ErrorBurstWindow.TotalMinutes:0.#} min"));
            }
        }

        if (!unhealthy && !state.Healthy && state.Summary.Length > 0)
        {
            evidence.Add($"status unhealthy: {state.Summary}");
        }

        if (state.DependsOn.Count > 0)
        {
            evidence.Add("depends on " + string.Join(", ", state.DependsOn.Select(d => $"{d.Kind} {(d.Namespace.Length > 0 ? d.Namespace + "/" : "")}{d.Name}")));
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["adapter"] = adapter,
            ["tenant"] = tenant,
            ["healthy"] = state.Healthy ? "true" : "false",
            ["errors_in_window"] = errors.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (state.UnhealthySince is { } unhealthySince)
        {
            attributes["unhealthy_since"] = MetricAnomalyMonitor.Time(unhealthySince);
        }

        foreach (var (name, value) in state.Kpis)
        {
            attributes["kpi." + name] = MetricAnomalyMonitor.Number(value);
            if (state.KpiBaselines.TryGetValue(name, out var baseline) && double.IsFinite(baseline))
            {
                attributes["kpi." + name + ".baseline"] = MetricAnomalyMonitor.Number(baseline);
            }
        }

        return new Finding(
            DetectorName,
            IncidentCategory.BusinessDegradation,
            state.Subject.Clone(),
            unhealthy || drops.Count > 0 ? Severity.Error : Severity.Warning,
            reason,
            $"business adapter {adapter} of {tenant} is degraded: {string.Join("; ", parts)}",
            evidence)
        {
            Attributes = attributes,
            Related = [.. state.DependsOn.Select(d => d.Clone())],
        };
    }

    private static void Replace(List<SourceFindings> changes, SourceFindings update)
    {
        changes.RemoveAll(c => c.SourceKey == update.SourceKey);
        changes.Add(update);
    }
}
