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
/// Multivariate anomalies per workload: every <see cref="WorkloadPcaOptions.Window"/> a workload's metrics and error logs
/// become one feature vector (<see cref="WorkloadFeature"/>: restart rate, CPU, memory, error-log rate, latency where
/// present); an ML.NET RandomizedPca model trained on the workload's sliding history scores it, and a score above the
/// threshold learnt from that history is a <see cref="IncidentCategory.MetricAnomaly"/> finding about the workload. The
/// model is retrained every <see cref="WorkloadPcaOptions.RetrainEvery"/> windows (version + 1) with a fixed seed.
/// </summary>
/// <remarks>
/// Which workload a pod belongs to is the caller's to say (<c>workloadOf</c>; the topology passes
/// <c>RootCauseResolver.OwningWorkload</c> over its state); by default the subject is its own workload. Deterministic;
/// thread-safe (one lock). Training runs inline (a few milliseconds for a day of windows).
/// </remarks>
public sealed class WorkloadPcaMonitor
{
    /// <summary>Detector name of the findings.</summary>
    public const string DetectorName = "anomaly.workload.pca";

    /// <summary>Prefix of the correlator source keys this monitor reports under.</summary>
    public const string SourcePrefix = "pca:";

    private const int SnapshotMagic = 0x50435343; // "CSCP"
    private const byte SnapshotVersion = 2; // 2: no per-window "saw logs" flag
    private const int MaxSubjectsPerWorkload = 64;

    private readonly WorkloadPcaOptions options;
    private readonly Func<ObjectRef, ObjectRef> workloadOf;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<WorkloadState>> workloads = new(StringComparer.Ordinal);
    private readonly LinkedList<WorkloadState> recency = new();
    private readonly Dictionary<string, WorkloadFeature> features;

    // Subjects with metric samples (pods, mostly) → their workload's state: the error lines that count.
    private readonly Dictionary<(string Cluster, string Kind, string Namespace, string Name), WorkloadState> subjects = [];

    /// <summary>Creates an empty monitor; throws <see cref="OptionsValidationException"/> for invalid options.</summary>
    /// <param name="options">Windows, history, model and feature metric names.</param>
    /// <param name="workloadOf">The workload of a subject (a pod's Deployment); the subject itself when null.</param>
    /// <param name="logger">Logs.</param>
    public WorkloadPcaMonitor(WorkloadPcaOptions options, Func<ObjectRef, ObjectRef>? workloadOf = null, ILogger<WorkloadPcaMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new WorkloadPcaOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WorkloadPcaOptions), validation.Failures);
        }

        this.options = options;
        this.workloadOf = workloadOf ?? (subject => subject);
        this.logger = logger ?? NullLogger<WorkloadPcaMonitor>.Instance;
        features = new Dictionary<string, WorkloadFeature>(StringComparer.Ordinal);
        foreach (var (names, feature) in new[]
        {
            (options.RestartMetrics, WorkloadFeature.RestartRate),
            (options.CpuMetrics, WorkloadFeature.Cpu),
            (options.MemoryMetrics, WorkloadFeature.Memory),
            (options.LatencyMetrics, WorkloadFeature.Latency),
        })
        {
            foreach (var name in names)
            {
                features[name] = feature;
            }
        }
    }

    /// <summary>The correlator source key of a workload.</summary>
    public static string SourceKey(ObjectRef workload) => SourcePrefix + RecordKeys.ForObject(workload);

    /// <summary>How many workloads are modelled.</summary>
    public int WorkloadCount
    {
        get
        {
            lock (gate)
            {
                return workloads.Count;
            }
        }
    }

    /// <summary>The current model version of a workload (0: none trained yet, or unknown workload).</summary>
    public int ModelVersion(ObjectRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (gate)
        {
            return workloads.TryGetValue(SourceKey(workload), out var node) ? node.Value.ModelVersion : 0;
        }
    }

    /// <summary>The current model of a workload; null before the first training.</summary>
    public WorkloadPcaModel? Model(ObjectRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (gate)
        {
            return workloads.TryGetValue(SourceKey(workload), out var node) ? node.Value.Model : null;
        }
    }

    /// <summary>Verdicts of the windows closed by the last call, for inspection (tests, <c>chasi analyze</c>).</summary>
    public IReadOnlyList<WorkloadPcaVerdict> LastVerdicts { get; private set; } = [];

    /// <summary>Takes in a metric record; series whose name is not one of the feature metrics, or without a subject, are ignored.</summary>
    public IReadOnlyList<SourceFindings> Observe(MetricSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var changes = new List<SourceFindings>();
        var verdicts = new List<WorkloadPcaVerdict>();
        if (sample.Subject is null || !features.TryGetValue(sample.Name, out var feature))
        {
            lock (gate)
            {
                LastVerdicts = verdicts;
            }

            return changes;
        }

        lock (gate)
        {
            var state = Touch(sample.Subject, changes);
            Remember(sample.Subject, state);
            var seriesKey = RecordKeys.ForSeries(sample);
            foreach (var point in sample.Points.Where(p => p.At is not null && double.IsFinite(p.Value)).OrderBy(p => p.At.ToDateTimeOffset()))
            {
                var at = point.At.ToDateTimeOffset();
                if (!Open(state, at, changes, verdicts))
                {
                    continue;
                }

                state.Series[seriesKey] = state.Series.TryGetValue(seriesKey, out var window)
                    ? window with { Sum = window.Sum + point.Value, Count = window.Count + 1, Last = point.Value }
                    : new WorkloadState.SeriesWindow(feature, point.Value, 1, point.Value, point.Value);
                state.Present[(int)feature] = true;
            }

            LastVerdicts = verdicts;
        }

        return changes;
    }

    /// <summary>
    /// Takes in a log line. Error and Fatal lines of a subject this monitor already knows from its metric samples (a pod
    /// whose CPU or latency it models) count towards its workload's error-log rate; every other line returns at once
    /// without allocating, so the log stream (millions of lines, most of them from pods without metrics) costs a lookup.
    /// After a restore, a subject counts again from its next metric sample.
    /// </summary>
    public IReadOnlyList<SourceFindings> ObserveLog(LogRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Level < ChasiSre.Schemas.V1.LogLevel.Error || line.Source is not { } source || line.At is null)
        {
            return [];
        }

        lock (gate)
        {
            if (subjects.Count == 0 || !subjects.TryGetValue((source.Cluster, source.Kind, source.Namespace, source.Name), out var state))
            {
                return [];
            }

            var changes = new List<SourceFindings>();
            var verdicts = new List<WorkloadPcaVerdict>();
            if (Open(state, line.At.ToDateTimeOffset(), changes, verdicts))
            {
                state.Present[(int)WorkloadFeature.ErrorLogRate] = true;
                state.ErrorLines++;
            }

            LastVerdicts = verdicts;
            return changes;
        }
    }

    /// <summary>Moves time to <paramref name="now"/>: closes due windows, ends quiet episodes, forgets idle workloads.</summary>
    public IReadOnlyList<SourceFindings> Advance(DateTimeOffset now)
    {
        var changes = new List<SourceFindings>();
        var verdicts = new List<WorkloadPcaVerdict>();
        lock (gate)
        {
            foreach (var state in recency.ToList())
            {
                if (state.HasOpenWindow && now >= state.OpenStart + options.Window + options.AllowedLateness)
                {
                    Close(state, changes, verdicts);
                }

                ClearIfQuiet(state, now, changes);
                if (now - state.LastSeen >= options.IdleTimeout)
                {
                    Evict(state, "idle", changes);
                }
            }

            LastVerdicts = verdicts;
        }

        return changes;
    }

    /// <summary>Everything learnt (windows, histories, models in ML.NET's format), as versioned bytes.</summary>
    public byte[] Snapshot()
    {
        lock (gate)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer))
            {
                writer.Write(SnapshotMagic);
                writer.Write(SnapshotVersion);
                writer.Write(options.Window.Ticks);
                writer.Write(workloads.Count);
                foreach (var state in recency)
                {
                    state.Write(writer);
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>Replaces the monitor's state with a <see cref="Snapshot"/>.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot of this monitor, truncated, or taken with another window.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var restored = new List<WorkloadState>();
        using (var reader = new BinaryReader(new MemoryStream(snapshot.ToArray())))
        {
            try
            {
                if (reader.ReadInt32() != SnapshotMagic || reader.ReadByte() != SnapshotVersion)
                {
                    throw new InvalidDataException("not a workload PCA monitor snapshot of this version");
                }

                var window = reader.ReadInt64();
                if (window != options.Window.Ticks)
                {
                    throw new InvalidDataException($"the snapshot was taken with window {TimeSpan.FromTicks(window)}, not {options.Window}");
                }

                var count = reader.ReadInt32();
                for (var i = 0; i < count; i++)
                {
                    restored.Add(WorkloadState.Read(reader, options));
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
            workloads.Clear();
            recency.Clear();
            foreach (var state in restored.TakeLast(options.MaxWorkloads))
            {
                workloads[state.Key] = recency.AddLast(state);
            }
        }
    }

    // A workload's pods come and go (every rollout names new ones): it remembers its last MaxSubjectsPerWorkload.
    private void Remember(ObjectRef subject, WorkloadState state)
    {
        var key = (subject.Cluster, subject.Kind, subject.Namespace, subject.Name);
        if (subjects.TryGetValue(key, out var known) && ReferenceEquals(known, state))
        {
            return;
        }

        known?.Subjects.Remove(key);
        subjects[key] = state;
        state.Subjects.AddLast(key);
        if (state.Subjects.Count > MaxSubjectsPerWorkload)
        {
            subjects.Remove(state.Subjects.First!.Value);
            state.Subjects.RemoveFirst();
        }
    }

    private WorkloadState Touch(ObjectRef subject, List<SourceFindings> changes)
    {
        var workload = workloadOf(subject);
        var key = SourceKey(workload);
        if (workloads.TryGetValue(key, out var node))
        {
            recency.Remove(node);
            recency.AddLast(node);
            return node.Value;
        }

        while (workloads.Count >= options.MaxWorkloads && recency.First is { } oldest)
        {
            Evict(oldest.Value, "capacity", changes);
        }

        var state = new WorkloadState(key, workload.Clone());
        workloads[key] = recency.AddLast(state);
        return state;
    }

    // Makes the window of `at` the open one (closing the one before); false for a point of a window already closed.
    private bool Open(WorkloadState state, DateTimeOffset at, List<SourceFindings> changes, List<WorkloadPcaVerdict> verdicts)
    {
        var start = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % options.Window.Ticks), TimeSpan.Zero);
        if (start < state.ClosedUntil || (state.HasOpenWindow && start < state.OpenStart))
        {
            MetricsTelemetry.Point("late");
            return false;
        }

        if (state.HasOpenWindow && start > state.OpenStart)
        {
            Close(state, changes, verdicts);
        }

        if (!state.HasOpenWindow)
        {
            state.OpenStart = start;
        }

        if (at > state.LastSeen)
        {
            state.LastSeen = at;
        }

        ClearIfQuiet(state, at, changes);
        return true;
    }

    private void Close(WorkloadState state, List<SourceFindings> changes, List<WorkloadPcaVerdict> verdicts)
    {
        var start = state.OpenStart;
        var end = start + options.Window;
        var minutes = options.Window.TotalMinutes;
        var sums = new double[WorkloadPcaModel.Dimension];
        var seen = new bool[WorkloadPcaModel.Dimension];
        foreach (var window in state.Series.Values)
        {
            var f = (int)window.Feature;
            seen[f] = true;
            switch (window.Feature)
            {
                case WorkloadFeature.RestartRate:
                    // A counter reset (a restarted pod) counts from zero: an increase is never negative.
                    sums[f] += Math.Max(0, window.Last - window.First) / minutes;
                    break;
                case WorkloadFeature.Latency:
                    sums[f] = Math.Max(sums[f], window.Sum / window.Count);
                    break;
                default:
                    sums[f] += window.Sum / window.Count;
                    break;
            }
        }

        if (state.Present[(int)WorkloadFeature.ErrorLogRate])
        {
            sums[(int)WorkloadFeature.ErrorLogRate] = state.ErrorLines / minutes;
            seen[(int)WorkloadFeature.ErrorLogRate] = true;
        }

        var row = new double[WorkloadPcaModel.Dimension];
        for (var f = 0; f < row.Length; f++)
        {
            row[f] = seen[f] ? sums[f] : state.LastFeatures[f];
            state.LastFeatures[f] = row[f];
        }

        state.ResetWindow();
        state.ClosedUntil = end;

        var verdict = Judge(state, start, end, row);
        verdicts.Add(verdict);
        state.History.AddLast(row);
        while (state.History.Count > options.HistoryWindows)
        {
            state.History.RemoveFirst();
        }

        state.WindowsSinceTraining++;
        if (state.History.Count >= options.MinTrainingWindows && (state.Model is null || state.WindowsSinceTraining >= options.RetrainEvery))
        {
            Train(state);
        }

        if (verdict.Anomalous)
        {
            state.FirstAnomaly ??= verdict;
            state.LastAnomaly = verdict;
            state.AnomalousWindows++;
            if (state.AnomalousWindows == 1)
            {
                MetricsTelemetry.Finding(DetectorName, raised: true);
                logger.WorkloadAnomalyRaised(state.Key, verdict.Score, verdict.Threshold, verdict.ModelVersion);
            }

            Replace(changes, new SourceFindings(state.Key, [ToFinding(state)]));
        }
    }

    // A training that ML.NET rejects (degenerate history) keeps the previous model: logged and counted, the stream goes on.
    private void Train(WorkloadState state)
    {
        state.WindowsSinceTraining = 0;
        WorkloadPcaModel? model;
        try
        {
            model = WorkloadPcaModel.Train([.. state.History], state.ModelVersion + 1, options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            MetricsTelemetry.ModelTrainingFailures.Add(1);
            logger.ModelTrainingFailed(ex, state.Key, state.History.Count);
            return;
        }

        if (model is null)
        {
            return;
        }

        state.ModelVersion = model.Version;
        state.Model = model;
        logger.ModelTrained(state.Key, model.Version, state.History.Count, model.Threshold);
    }

    private static WorkloadPcaVerdict Judge(WorkloadState state, DateTimeOffset start, DateTimeOffset end, double[] row)
    {
        if (state.Model is not { } model)
        {
            return new WorkloadPcaVerdict(start, end, row, double.NaN, double.NaN, 0, WorkloadFeature.Cpu, 0, double.NaN, double.NaN);
        }

        var (strongest, sigmas) = model.Strongest(row);
        return new WorkloadPcaVerdict(
            start, end, row, model.Score(row), model.Threshold, model.Version, strongest, sigmas, model.Means[(int)strongest], model.Deviations[(int)strongest]);
    }

    private void ClearIfQuiet(WorkloadState state, DateTimeOffset now, List<SourceFindings> changes)
    {
        if (state.LastAnomaly is null || now - state.LastAnomaly.End < options.HoldFor)
        {
            return;
        }

        state.FirstAnomaly = null;
        state.LastAnomaly = null;
        state.AnomalousWindows = 0;
        MetricsTelemetry.Finding(DetectorName, raised: false);
        logger.WorkloadAnomalyCleared(state.Key);
        Replace(changes, new SourceFindings(state.Key, []));
    }

    private void Evict(WorkloadState state, string reason, List<SourceFindings> changes)
    {
        if (!workloads.Remove(state.Key, out var node))
        {
            return;
        }

        recency.Remove(node);
        foreach (var subject in state.Subjects)
        {
            subjects.Remove(subject);
        }

        MetricsTelemetry.Evictions.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.ReasonTag, reason));
        logger.SeriesEvicted(state.Key, reason);
        if (state.Active)
        {
            Replace(changes, new SourceFindings(state.Key, []));
        }
    }

    private static void Replace(List<SourceFindings> changes, SourceFindings update)
    {
        changes.RemoveAll(c => c.SourceKey == update.SourceKey);
        changes.Add(update);
    }

    private Finding ToFinding(WorkloadState state)
    {
        var first = state.FirstAnomaly!;
        var last = state.LastAnomaly!;
        var window = $"{MetricAnomalyMonitor.Time(last.Start)}–{MetricAnomalyMonitor.Time(last.End)}";
        var low = last.ExpectedMean - (3 * last.ExpectedDeviation);
        var high = last.ExpectedMean + (3 * last.ExpectedDeviation);
        var vector = string.Join(", ", Enum.GetValues<WorkloadFeature>().Where(f => state.Present[(int)f]).Select(f => $"{Name(f)} {MetricAnomalyMonitor.Number(last.Features[(int)f])}"));
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{MetricAnomalyMonitor.Describe(state.Workload)} departs from its usual mix of metrics over {window}: PCA score {last.Score:0.###} above threshold {last.Threshold:0.###} (model v{last.ModelVersion}), mostly {Name(last.Strongest)} {MetricAnomalyMonitor.Number(last.Features[(int)last.Strongest])}, expected {MetricAnomalyMonitor.Number(low)}–{MetricAnomalyMonitor.Number(high)}");
        var evidence = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"workload window {window}: {vector}"),
            string.Create(CultureInfo.InvariantCulture, $"RandomizedPca model v{last.ModelVersion} (rank {state.Model?.Rank ?? options.Rank}, seed {options.Seed}, trained on {options.HistoryWindows} windows at most): score {last.Score:0.###}, threshold {last.Threshold:0.###} ({options.ThresholdQuantile:0.###} quantile of training scores × {options.ThresholdMargin:0.##})"),
            string.Create(CultureInfo.InvariantCulture, $"{Name(last.Strongest)} is {last.StrongestSigmas:0.#}σ from its training mean {MetricAnomalyMonitor.Number(last.ExpectedMean)} (σ {MetricAnomalyMonitor.Number(last.ExpectedDeviation)})"),
            string.Create(CultureInfo.InvariantCulture, $"{state.AnomalousWindows} anomalous window(s) since {MetricAnomalyMonitor.Time(first.Start)}"),
        };
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["window.start"] = MetricAnomalyMonitor.Time(last.Start),
            ["window.end"] = MetricAnomalyMonitor.Time(last.End),
            ["score"] = last.Score.ToString("R", CultureInfo.InvariantCulture),
            ["threshold"] = last.Threshold.ToString("R", CultureInfo.InvariantCulture),
            ["model.version"] = last.ModelVersion.ToString(CultureInfo.InvariantCulture),
            ["feature"] = Name(last.Strongest),
            ["expected.mean"] = MetricAnomalyMonitor.Number(last.ExpectedMean),
            ["expected.low"] = MetricAnomalyMonitor.Number(low),
            ["expected.high"] = MetricAnomalyMonitor.Number(high),
            ["anomalous_windows"] = state.AnomalousWindows.ToString(CultureInfo.InvariantCulture),
            ["first_anomaly"] = MetricAnomalyMonitor.Time(first.Start),
        };
        foreach (var feature in Enum.GetValues<WorkloadFeature>().Where(f => state.Present[(int)f]))
        {
            attributes["feature." + Name(feature)] = MetricAnomalyMonitor.Number(last.Features[(int)feature]);
        }

        return new Finding(DetectorName, IncidentCategory.MetricAnomaly, state.Workload.Clone(), Severity.Warning, "WorkloadAnomaly", message, evidence)
        {
            Attributes = attributes,
        };
    }

    private static string Name(WorkloadFeature feature) => feature switch
    {
        WorkloadFeature.RestartRate => "restart_rate",
        WorkloadFeature.Cpu => "cpu",
        WorkloadFeature.Memory => "memory",
        WorkloadFeature.ErrorLogRate => "error_log_rate",
        _ => "latency",
    };
}
