using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Streams.Metrics;

/// <summary>One workload in <see cref="WorkloadPcaMonitor"/>: the open window's accumulators, the sliding history of closed
/// windows' feature vectors, the current model and the finding's episode. Not thread-safe (the monitor locks).</summary>
internal sealed class WorkloadState(string key, ObjectRef workload)
{
    public string Key { get; } = key;

    public ObjectRef Workload { get; } = workload;

    public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset OpenStart { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset ClosedUntil { get; set; } = DateTimeOffset.MinValue;

    public bool HasOpenWindow => OpenStart != DateTimeOffset.MinValue;

    /// <summary>Per series in the open window: feature, sum, count, first and last value (counters).</summary>
    public Dictionary<string, SeriesWindow> Series { get; } = new(StringComparer.Ordinal);

    public int ErrorLines { get; set; }

    /// <summary>The subjects (pods) whose error lines count for this workload, oldest first; not in the snapshot.</summary>
    public LinkedList<(string Cluster, string Kind, string Namespace, string Name)> Subjects { get; } = new();

    /// <summary>Last known value per feature (carried into windows without data for it).</summary>
    public double[] LastFeatures { get; } = new double[WorkloadPcaModel.Dimension];

    /// <summary>Which features this workload has ever reported (latency only where present).</summary>
    public bool[] Present { get; } = new bool[WorkloadPcaModel.Dimension];

    public LinkedList<double[]> History { get; } = new();

    public int WindowsSinceTraining { get; set; }

    public int ModelVersion { get; set; }

    public WorkloadPcaModel? Model { get; set; }

    public WorkloadPcaVerdict? FirstAnomaly { get; set; }

    public WorkloadPcaVerdict? LastAnomaly { get; set; }

    public int AnomalousWindows { get; set; }

    public bool Active => LastAnomaly is not null;

    public void ResetWindow()
    {
        Series.Clear();
        ErrorLines = 0;
        OpenStart = DateTimeOffset.MinValue;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Key);
        var workload = Workload.ToByteArray();
        writer.Write(workload.Length);
        writer.Write(workload);
        writer.Write(LastSeen.UtcTicks);
        writer.Write(OpenStart.UtcTicks);
        writer.Write(ClosedUntil.UtcTicks);
        writer.Write(Series.Count);
        foreach (var (series, window) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            writer.Write(series);
            writer.Write((int)window.Feature);
            writer.Write(window.Sum);
            writer.Write(window.Count);
            writer.Write(window.First);
            writer.Write(window.Last);
        }

        writer.Write(ErrorLines);
        for (var f = 0; f < WorkloadPcaModel.Dimension; f++)
        {
            writer.Write(LastFeatures[f]);
            writer.Write(Present[f]);
        }

        writer.Write(History.Count);
        foreach (var row in History)
        {
            foreach (var value in row)
            {
                writer.Write(value);
            }
        }

        writer.Write(WindowsSinceTraining);
        writer.Write(ModelVersion);
        writer.Write(Model is not null);
        Model?.Write(writer);
        WorkloadPcaVerdict.Write(writer, FirstAnomaly);
        WorkloadPcaVerdict.Write(writer, LastAnomaly);
        writer.Write(AnomalousWindows);
    }

    public static WorkloadState Read(BinaryReader reader, WorkloadPcaOptions options)
    {
        var key = reader.ReadString();
        var length = NonNegative(reader.ReadInt32());
        if (length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"workload {key}: a reference of {length} bytes is longer than what is left");
        }

        var workloadBytes = reader.ReadBytes(length);
        ObjectRef workload;
        try
        {
            workload = ObjectRef.Parser.ParseFrom(workloadBytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"workload {key}: its reference cannot be read", ex);
        }

        var state = new WorkloadState(key, workload)
        {
            LastSeen = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
            OpenStart = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
            ClosedUntil = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
        };
        var series = NonNegative(reader.ReadInt32());
        for (var i = 0; i < series; i++)
        {
            var name = reader.ReadString();
            var feature = reader.ReadInt32();
            if (feature is < 0 or >= WorkloadPcaModel.Dimension)
            {
                throw new InvalidDataException($"feature {feature} out of range");
            }

            state.Series[name] = new SeriesWindow((WorkloadFeature)feature, reader.ReadDouble(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble());
        }

        state.ErrorLines = NonNegative(reader.ReadInt32());
        for (var f = 0; f < WorkloadPcaModel.Dimension; f++)
        {
            state.LastFeatures[f] = reader.ReadDouble();
            state.Present[f] = reader.ReadBoolean();
        }

        var history = NonNegative(reader.ReadInt32());
        for (var i = 0; i < history; i++)
        {
            var row = new double[WorkloadPcaModel.Dimension];
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = reader.ReadDouble();
            }

            state.History.AddLast(row);
        }

        while (state.History.Count > options.HistoryWindows)
        {
            state.History.RemoveFirst();
        }

        state.WindowsSinceTraining = NonNegative(reader.ReadInt32());
        state.ModelVersion = NonNegative(reader.ReadInt32());
        state.Model = reader.ReadBoolean() ? WorkloadPcaModel.Read(reader, options) : null;
        state.FirstAnomaly = WorkloadPcaVerdict.Read(reader);
        state.LastAnomaly = WorkloadPcaVerdict.Read(reader);
        state.AnomalousWindows = NonNegative(reader.ReadInt32());
        return state;
    }

    private static int NonNegative(int value) => value >= 0 ? value : throw new InvalidDataException($"negative count {value}");

    /// <summary>What one series contributed to the open window.</summary>
    public sealed record SeriesWindow(WorkloadFeature Feature, double Sum, int Count, double First, double Last);
}
