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
/// Watches metric series (<c>chasi.metrics.v1</c>) for anomalies and reports them as <see cref="IncidentCategory.MetricAnomaly"/>
/// findings about the series' subject. Points are averaged into windows of <see cref="MetricAnomalyOptions.Window"/> (by
/// their own timestamps); each closed window is scored per series by a rolling z-score, NAB's anomaly likelihood over it
/// and the spatial range rule (the best combination on NAB here). A window alerts once the series is warm, when it is
/// scored anomalous, lies outside the expected band (or the range seen so far) and differs from the baseline mean by at
/// least <see cref="MetricAnomalyOptions.MinRelativeChange"/>. The finding carries the series, the window, the score and
/// the expected band, and stays active for <see cref="MetricAnomalyOptions.HoldFor"/> after the last anomalous window.
/// </summary>
/// <remarks>
/// Deterministic (time is the points' time and the time given to <see cref="Advance"/>); thread-safe (one lock). State is
/// bounded: at most <see cref="MetricAnomalyOptions.MaxSeries"/> series (least recently updated evicted first), idle ones
/// forgotten. <see cref="Snapshot"/>/<see cref="Restore"/> (whole monitor) and <see cref="SnapshotSeries"/>/<see cref="RestoreSeries"/>
/// (one series, for a key-value store keyed by <see cref="SourceKey"/>) persist everything learnt.
/// </remarks>
public sealed class MetricAnomalyMonitor
{
    /// <summary>Prefix of the correlator source keys this monitor reports under.</summary>
    public const string SourcePrefix = "metric:";

    private const int SnapshotMagic = 0x414D5343; // "CSMA"
    private const byte SnapshotVersion = 1;

    private readonly MetricAnomalyOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<MetricSeriesState>> series = new(StringComparer.Ordinal);

    // Least recently updated first.
    private readonly LinkedList<MetricSeriesState> recency = new();

    /// <summary>Creates an empty monitor; throws <see cref="OptionsValidationException"/> for invalid options.</summary>
    public MetricAnomalyMonitor(MetricAnomalyOptions options, ILogger<MetricAnomalyMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new MetricAnomalyOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MetricAnomalyOptions), validation.Failures);
        }

        this.options = options;
        this.logger = logger ?? NullLogger<MetricAnomalyMonitor>.Instance;
    }

    /// <summary>The detector name of this monitor's findings for a metric: <c>anomaly.&lt;metric name&gt;</c>.</summary>
    public static string DetectorName(string metricName) => "anomaly." + metricName;

    /// <summary>The correlator source key of a sample's series (its record key, prefixed).</summary>
    public static string SourceKey(MetricSample sample) => SourcePrefix + RecordKeys.ForSeries(sample);

    /// <summary>How many series are tracked.</summary>
    public int SeriesCount
    {
        get
        {
            lock (gate)
            {
                return series.Count;
            }
        }
    }

    /// <summary>The source keys of the series tracked, least recently updated first.</summary>
    public IReadOnlyList<string> SeriesKeys()
    {
        lock (gate)
        {
            return [.. recency.Select(s => s.Key)];
        }
    }

    /// <summary>
    /// Takes in one record of a series (one or more points, in any order). Non-finite points are dropped, and so are points
    /// of a window already closed (late). Returns the sources whose findings changed: a series that started or went on
    /// alerting, one whose episode ended, one evicted to make room.
    /// </summary>
    public IReadOnlyList<SourceFindings> Observe(MetricSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var changes = new List<SourceFindings>();
        if (sample.Points.Count == 0)
        {
            return changes;
        }

        var key = SourceKey(sample);
        lock (gate)
        {
            MetricSeriesState? state = null;
            foreach (var point in sample.Points.OrderBy(p => p.At?.ToDateTimeOffset() ?? DateTimeOffset.MinValue))
            {
                if (point.At is null || !double.IsFinite(point.Value))
                {
                    MetricsTelemetry.Point("non_finite");
                    continue;
                }

                var at = point.At.ToDateTimeOffset();
                state ??= Touch(key, sample, changes);
                if (!state.TryAdd(at, point.Value, out var closed))
                {
                    MetricsTelemetry.Point("late");
                    logger.LatePoint(key, at, state.ClosedUntil);
                    continue;
                }

                MetricsTelemetry.Point("accepted");
                if (closed is not null)
                {
                    Judge(state, closed, changes);
                }

                if (state.ClearIfQuiet(at))
                {
                    Cleared(state, changes);
                }
            }
        }

        return changes;
    }

    /// <summary>
    /// Moves time to <paramref name="now"/> without new points (a punctuator): closes windows that ended at least
    /// <see cref="MetricAnomalyOptions.AllowedLateness"/> ago, ends quiet episodes and forgets idle series.
    /// </summary>
    public IReadOnlyList<SourceFindings> Advance(DateTimeOffset now)
    {
        var changes = new List<SourceFindings>();
        lock (gate)
        {
            foreach (var state in recency.ToList())
            {
                if (state.HasOpenWindow && now >= state.OpenStart + options.Window + options.AllowedLateness)
                {
                    Judge(state, state.Close(), changes);
                }

                if (state.ClearIfQuiet(now))
                {
                    Cleared(state, changes);
                }

                if (now - state.LastSeen >= options.SeriesIdleTimeout)
                {
                    Evict(state, "idle", changes);
                }
            }
        }

        return changes;
    }

    /// <summary>The current findings of every series (for a full re-evaluation).</summary>
    public IReadOnlyList<SourceFindings> Current()
    {
        lock (gate)
        {
            return [.. recency.Where(s => s.Active && s.Subject is not null).Select(s => new SourceFindings(s.Key, [ToFinding(s)]))];
        }
    }

    /// <summary>Everything learnt, as bytes (versioned); <see cref="Restore"/> reads it back into a monitor with the same options.</summary>
    public byte[] Snapshot()
    {
        lock (gate)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer))
            {
                WriteHeader(writer);
                writer.Write(series.Count);
                foreach (var state in recency)
                {
                    state.Write(writer);
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>Replaces the monitor's state with a <see cref="Snapshot"/>.</summary>
    /// <exception cref="InvalidDataException">Not a snapshot of this monitor, truncated, or taken with other window options.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        var restored = new List<MetricSeriesState>();
        using (var reader = new BinaryReader(new MemoryStream(snapshot.ToArray())))
        {
            Guard(() =>
            {
                ReadHeader(reader);
                var count = reader.ReadInt32();
                if (count < 0)
                {
                    throw new InvalidDataException($"negative series count {count}");
                }

                for (var i = 0; i < count; i++)
                {
                    restored.Add(MetricSeriesState.Read(reader, options));
                }
            });
        }

        lock (gate)
        {
            MetricsTelemetry.Series.Add(-series.Count);
            series.Clear();
            recency.Clear();
            foreach (var state in restored.TakeLast(options.MaxSeries))
            {
                series[state.Key] = recency.AddLast(state);
            }

            MetricsTelemetry.Series.Add(series.Count);
        }
    }

    /// <summary>One series' state as bytes; null when the series is not tracked.</summary>
    public byte[]? SnapshotSeries(string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        lock (gate)
        {
            if (!series.TryGetValue(sourceKey, out var node))
            {
                return null;
            }

            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer))
            {
                WriteHeader(writer);
                node.Value.Write(writer);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>Adds (or replaces) one series from <see cref="SnapshotSeries"/> bytes; returns its source key.</summary>
    /// <exception cref="InvalidDataException">Not a series snapshot of a monitor with these window options.</exception>
    public string RestoreSeries(ReadOnlySpan<byte> snapshot)
    {
        MetricSeriesState? state = null;
        using (var reader = new BinaryReader(new MemoryStream(snapshot.ToArray())))
        {
            Guard(() =>
            {
                ReadHeader(reader);
                state = MetricSeriesState.Read(reader, options);
            });
        }

        lock (gate)
        {
            if (series.Remove(state!.Key, out var existing))
            {
                recency.Remove(existing);
                MetricsTelemetry.Series.Add(-1);
            }

            var evicted = new List<SourceFindings>();
            MakeRoom(evicted);
            series[state.Key] = recency.AddLast(state);
            MetricsTelemetry.Series.Add(1);
            return state.Key;
        }
    }

    private MetricSeriesState Touch(string key, MetricSample sample, List<SourceFindings> changes)
    {
        if (series.TryGetValue(key, out var node))
        {
            recency.Remove(node);
            recency.AddLast(node);
            return node.Value;
        }

        MakeRoom(changes);
        var labels = sample.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var state = new MetricSeriesState(options, key, sample.Series, sample.Name, labels, sample.Subject?.Clone());
        series[key] = recency.AddLast(state);
        MetricsTelemetry.Series.Add(1);
        if (sample.Subject is null)
        {
            logger.SeriesWithoutSubject(key);
        }

        return state;
    }

    private void MakeRoom(List<SourceFindings> changes)
    {
        while (series.Count >= options.MaxSeries && recency.First is { } oldest)
        {
            Evict(oldest.Value, "capacity", changes);
        }
    }

    private void Evict(MetricSeriesState state, string reason, List<SourceFindings> changes)
    {
        if (series.Remove(state.Key, out var node))
        {
            recency.Remove(node);
            MetricsTelemetry.Series.Add(-1);
            MetricsTelemetry.Evictions.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.ReasonTag, reason));
            logger.SeriesEvicted(state.Key, reason);
            if (state.Active)
            {
                Cleared(state, changes);
            }
        }
    }

    private void Judge(MetricSeriesState state, MetricWindowVerdict verdict, List<SourceFindings> changes)
    {
        var name = !verdict.Warm ? "warmup" : verdict.Anomalous ? "anomalous" : "normal";
        MetricsTelemetry.Windows.Add(1, new KeyValuePair<string, object?>(MetricsTelemetryNames.VerdictTag, name));
        if (!verdict.Anomalous || state.Subject is null)
        {
            return;
        }

        if (state.AnomalousWindows == 1)
        {
            MetricsTelemetry.Finding(DetectorName(state.Name), raised: true);
            logger.MetricAnomalyRaised(state.Key, verdict.Value, verdict.Low, verdict.High, verdict.Start);
        }

        Replace(changes, new SourceFindings(state.Key, [ToFinding(state)]));
    }

    private void Cleared(MetricSeriesState state, List<SourceFindings> changes)
    {
        if (state.Subject is null)
        {
            return;
        }

        MetricsTelemetry.Finding(DetectorName(state.Name), raised: false);
        logger.MetricAnomalyCleared(state.Key);
        Replace(changes, new SourceFindings(state.Key, []));
    }

    private static void Replace(List<SourceFindings> changes, SourceFindings update)
    {
        changes.RemoveAll(c => c.SourceKey == update.SourceKey);
        changes.Add(update);
    }

    private Finding ToFinding(MetricSeriesState state)
    {
        var first = state.FirstAnomaly!;
        var last = state.LastAnomaly!;
        var subject = state.Subject!;
        // The expected band is the one learnt before the episode: later baselines already hold the anomaly itself.
        var direction = last.Value >= first.Mean ? "above" : "below";
        var band = $"{Number(first.Low)}–{Number(first.High)}";
        var window = $"{Time(last.Start)}–{Time(last.End)}";
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{state.Name} of {Describe(subject)} averaged {Number(last.Value)} over {window}, {direction} its expected band {band} (z {Number(first.Z)} when it left it, score {first.Score:0.###})");
        var evidence = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"series {state.Series}: {Number(last.Value)} over {window} ({last.Points} points), expected {band} (baseline mean {Number(first.Mean)} ± {options.BandSigmas:0.#}σ, σ {Number(first.Deviation)} over the {options.BaselineWindows} windows of {options.Window} before {Time(first.Start)})"),
            string.Create(CultureInfo.InvariantCulture, $"left the band at {Time(first.Start)} with {Number(first.Value)}: anomaly score {first.Score:0.###}, z {Number(first.Z)}, likelihood {first.Likelihood:0.######}{(first.OutOfRange ? $", outside the range seen so far {Number(first.RangeMin)}–{Number(first.RangeMax)}" : "")}"),
            string.Create(CultureInfo.InvariantCulture, $"{state.AnomalousWindows} anomalous window(s) of {options.Window} since {Time(first.Start)}; latest {Number(last.Value)} (z {Number(last.Z)} against the moving baseline)"),
        };
        return new Finding(DetectorName(state.Name), IncidentCategory.MetricAnomaly, subject.Clone(), Severity.Warning, "MetricAnomaly", message, evidence)
        {
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["metric"] = state.Name,
                ["series"] = state.Series,
                ["window.start"] = Time(last.Start),
                ["window.end"] = Time(last.End),
                ["value"] = Number(last.Value),
                ["expected.mean"] = Number(first.Mean),
                ["expected.low"] = Number(first.Low),
                ["expected.high"] = Number(first.High),
                ["z"] = Number(first.Z),
                ["likelihood"] = first.Likelihood.ToString("R", CultureInfo.InvariantCulture),
                ["score"] = first.Score.ToString("R", CultureInfo.InvariantCulture),
                ["out_of_range"] = first.OutOfRange ? "true" : "false",
                ["direction"] = direction,
                ["anomalous_windows"] = state.AnomalousWindows.ToString(CultureInfo.InvariantCulture),
                ["first_anomaly"] = Time(first.Start),
            },
        };
    }

    private void WriteHeader(BinaryWriter writer)
    {
        writer.Write(SnapshotMagic);
        writer.Write(SnapshotVersion);
        writer.Write(options.Window.Ticks);
        writer.Write(options.BaselineWindows);
        writer.Write(options.WarmupWindows);
        writer.Write(options.HistoryWindows);
        writer.Write(options.BandSigmas);
        writer.Write(options.SevereSigmas);
    }

    private void ReadHeader(BinaryReader reader)
    {
        if (reader.ReadInt32() != SnapshotMagic || reader.ReadByte() != SnapshotVersion)
        {
            throw new InvalidDataException("not a metric anomaly monitor snapshot of this version");
        }

        var window = reader.ReadInt64();
        var baseline = reader.ReadInt32();
        var warmup = reader.ReadInt32();
        var history = reader.ReadInt32();
        var sigmas = reader.ReadDouble();
        var severe = reader.ReadDouble();
        if (window != options.Window.Ticks || baseline != options.BaselineWindows || warmup != options.WarmupWindows || history != options.HistoryWindows
            || !sigmas.Equals(options.BandSigmas) || !severe.Equals(options.SevereSigmas))
        {
            throw new InvalidDataException(
                $"the snapshot was taken with window {TimeSpan.FromTicks(window)}, baseline {baseline}, warm-up {warmup}, history {history}, band {sigmas}σ, severe {severe}σ; these options differ");
        }
    }

    private static void Guard(Action read)
    {
        try
        {
            read();
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

    internal static string Describe(ObjectRef subject)
    {
        var name = subject.Namespace.Length == 0 ? subject.Name : $"{subject.Namespace}/{subject.Name}";
        return $"{subject.Kind} {subject.Cluster}:{name}";
    }

    internal static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : value.ToString("G4", CultureInfo.InvariantCulture);

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
