using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Anomaly;
using Google.Protobuf;

namespace ChasiSre.Streams.Metrics;

/// <summary>
/// One series in <see cref="MetricAnomalyMonitor"/>: its identity, the open window, the detector chain (rolling
/// z-score → anomaly likelihood → spatial range rule) and its finding's state. Not thread-safe (the monitor locks).
/// </summary>
internal sealed class MetricSeriesState
{
    private readonly MetricAnomalyOptions options;
    private readonly RollingZScoreDetector zScore;
    private readonly AnomalyLikelihood likelihood;
    private readonly SpatialAnomalyDetector spatial;

    public MetricSeriesState(MetricAnomalyOptions options, string key, string series, string name, IReadOnlyDictionary<string, string> labels, ObjectRef? subject)
    {
        this.options = options;
        Key = key;
        Series = series;
        Name = name;
        Labels = labels;
        Subject = subject;
        zScore = new RollingZScoreDetector(options.BaselineWindows, options.BandSigmas);
        var learning = options.WarmupWindows / 2;
        likelihood = new AnomalyLikelihood(zScore, new AnomalyLikelihoodOptions
        {
            LearningPeriod = learning,
            EstimationSamples = options.WarmupWindows - learning,
            HistoricWindowSize = options.HistoryWindows,
            ReestimationPeriod = Math.Max(1, options.BaselineWindows),
        });
        spatial = new SpatialAnomalyDetector(likelihood, options.WarmupWindows);
    }

    public string Key { get; }

    public string Series { get; }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public ObjectRef? Subject { get; }

    /// <summary>Latest point time seen.</summary>
    public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Start of the open window; <see cref="DateTimeOffset.MinValue"/> when none is open.</summary>
    public DateTimeOffset OpenStart { get; private set; } = DateTimeOffset.MinValue;

    public double OpenSum { get; private set; }

    public int OpenCount { get; private set; }

    /// <summary>Start of the last window closed (points before it are late).</summary>
    public DateTimeOffset ClosedUntil { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Closed windows scored so far.</summary>
    public long WindowsSeen { get; private set; }

    /// <summary>The finding: the first anomalous window of the current episode, the latest one, and how many.</summary>
    public MetricWindowVerdict? FirstAnomaly { get; private set; }

    public MetricWindowVerdict? LastAnomaly { get; private set; }

    public int AnomalousWindows { get; private set; }

    public bool Active => LastAnomaly is not null;

    /// <summary>The last window was scored anomalous and left the band, but was not severe enough to alert alone.</summary>
    public bool Suspect { get; private set; }

    public bool HasOpenWindow => OpenCount > 0;

    /// <summary>Adds a finite point to the open window; returns false when it belongs to a window already closed (late).</summary>
    public bool TryAdd(DateTimeOffset at, double value, out MetricWindowVerdict? closed)
    {
        closed = null;
        var start = WindowStart(at);
        if (start < ClosedUntil || (OpenCount > 0 && start < OpenStart))
        {
            return false;
        }

        if (OpenCount > 0 && start > OpenStart)
        {
            closed = Close();
        }

        if (OpenCount == 0)
        {
            OpenStart = start;
        }

        OpenSum += value;
        OpenCount++;
        if (at > LastSeen)
        {
            LastSeen = at;
        }

        return true;
    }

    /// <summary>Closes the open window and scores it.</summary>
    public MetricWindowVerdict Close()
    {
        var start = OpenStart;
        var end = start + options.Window;
        var value = OpenSum / OpenCount;
        var points = OpenCount;
        var rangeMin = spatial.Minimum;
        var rangeMax = spatial.Maximum;
        OpenSum = 0;
        OpenCount = 0;
        OpenStart = DateTimeOffset.MinValue;
        ClosedUntil = end;
        WindowsSeen++;

        var score = spatial.Update(value);
        var mean = zScore.Mean;
        var deviation = zScore.Deviation;
        var distance = Math.Abs(value - mean);
        var z = !zScore.IsWarm ? 0.0 : deviation > 1e-12 ? distance / deviation : distance > 1e-12 ? double.PositiveInfinity : 0.0;
        var low = mean - (options.BandSigmas * deviation);
        var high = mean + (options.BandSigmas * deviation);
        var warm = spatial.IsWarm && likelihood.IsWarm;
        var outside = zScore.IsWarm && (value < low || value > high);
        var significant = zScore.IsWarm && distance >= options.MinRelativeChange * Math.Abs(mean) && distance > 0;
        var candidate = warm && (outside || spatial.LastWasOutOfRange) && significant;
        var anomalous = candidate && ((score.IsAnomaly && z >= options.SevereSigmas) || Suspect);
        Suspect = candidate && score.IsAnomaly && !anomalous;
        if (!anomalous && warm && FirstAnomaly is { } episode)
        {
            // A level that has not come back to the band learnt before the episode (a leak still growing after the
            // baseline has caught up with it) keeps the episode going.
            var away = Math.Abs(value - episode.Mean);
            anomalous = (value < episode.Low || value > episode.High) && away >= options.MinRelativeChange * Math.Abs(episode.Mean) && away > 0;
        }
        var verdict = new MetricWindowVerdict(
            start, end, value, points, mean, deviation, low, high, z, likelihood.Last.Raw, spatial.LastWasOutOfRange, rangeMin, rangeMax, score.Unit, warm, anomalous);
        if (anomalous)
        {
            FirstAnomaly ??= verdict;
            LastAnomaly = verdict;
            AnomalousWindows++;
        }

        return verdict;
    }

    /// <summary>Ends the finding's episode when its last anomalous window ended <see cref="MetricAnomalyOptions.HoldFor"/> before <paramref name="now"/>.</summary>
    public bool ClearIfQuiet(DateTimeOffset now)
    {
        if (LastAnomaly is null || now - LastAnomaly.End < options.HoldFor)
        {
            return false;
        }

        FirstAnomaly = null;
        LastAnomaly = null;
        AnomalousWindows = 0;
        return true;
    }

    public DateTimeOffset WindowStart(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - (at.UtcTicks % options.Window.Ticks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Key);
        writer.Write(Series);
        writer.Write(Name);
        writer.Write(Labels.Count);
        foreach (var (label, value) in Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            writer.Write(label);
            writer.Write(value);
        }

        var subject = Subject?.ToByteArray() ?? [];
        writer.Write(Subject is not null);
        writer.Write(subject.Length);
        writer.Write(subject);
        writer.Write(LastSeen.UtcTicks);
        writer.Write(OpenStart.UtcTicks);
        writer.Write(OpenSum);
        writer.Write(OpenCount);
        writer.Write(ClosedUntil.UtcTicks);
        writer.Write(WindowsSeen);
        WriteVerdict(writer, FirstAnomaly);
        WriteVerdict(writer, LastAnomaly);
        writer.Write(AnomalousWindows);
        writer.Write(Suspect);
        spatial.WriteState(writer);
    }

    public static MetricSeriesState Read(BinaryReader reader, MetricAnomalyOptions options)
    {
        var key = reader.ReadString();
        var series = reader.ReadString();
        var name = reader.ReadString();
        var labelCount = Count(reader.ReadInt32());
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < labelCount; i++)
        {
            labels[reader.ReadString()] = reader.ReadString();
        }

        var hasSubject = reader.ReadBoolean();
        var length = Count(reader.ReadInt32());
        if (length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"series {key}: a subject of {length} bytes is longer than what is left");
        }

        var subjectBytes = reader.ReadBytes(length);
        ObjectRef? subject;
        try
        {
            subject = hasSubject ? ObjectRef.Parser.ParseFrom(subjectBytes) : null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"series {key}: its subject cannot be read", ex);
        }

        var state = new MetricSeriesState(options, key, series, name, labels, subject)
        {
            LastSeen = Time(reader.ReadInt64()),
        };
        state.OpenStart = Time(reader.ReadInt64());
        state.OpenSum = reader.ReadDouble();
        state.OpenCount = Count(reader.ReadInt32());
        state.ClosedUntil = Time(reader.ReadInt64());
        state.WindowsSeen = reader.ReadInt64();
        state.FirstAnomaly = ReadVerdict(reader);
        state.LastAnomaly = ReadVerdict(reader);
        state.AnomalousWindows = Count(reader.ReadInt32());
        state.Suspect = reader.ReadBoolean();
        state.spatial.ReadState(reader);
        return state;
    }

    private static void WriteVerdict(BinaryWriter writer, MetricWindowVerdict? verdict)
    {
        writer.Write(verdict is not null);
        if (verdict is null)
        {
            return;
        }

        writer.Write(verdict.Start.UtcTicks);
        writer.Write(verdict.End.UtcTicks);
        writer.Write(verdict.Value);
        writer.Write(verdict.Points);
        writer.Write(verdict.Mean);
        writer.Write(verdict.Deviation);
        writer.Write(verdict.Low);
        writer.Write(verdict.High);
        writer.Write(verdict.Z);
        writer.Write(verdict.Likelihood);
        writer.Write(verdict.OutOfRange);
        writer.Write(verdict.RangeMin);
        writer.Write(verdict.RangeMax);
        writer.Write(verdict.Score);
        writer.Write(verdict.Warm);
        writer.Write(verdict.Anomalous);
    }

    private static MetricWindowVerdict? ReadVerdict(BinaryReader reader) =>
        !reader.ReadBoolean()
            ? null
            : new MetricWindowVerdict(
                Time(reader.ReadInt64()), Time(reader.ReadInt64()), reader.ReadDouble(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(),
                reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean(), reader.ReadDouble(),
                reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean(), reader.ReadBoolean());

    private static DateTimeOffset Time(long ticks) =>
        ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new InvalidDataException($"time {ticks} out of range");

    private static int Count(int count) => count >= 0 ? count : throw new InvalidDataException($"negative count {count}");
}
