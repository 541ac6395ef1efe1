using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Streams.Metrics;

/// <summary>One business adapter in <see cref="BusinessHealthMonitor"/>. Not thread-safe (the monitor locks).</summary>
internal sealed class AdapterState(string key, ObjectRef subject)
{
    public string Key { get; } = key;

    public ObjectRef Subject { get; } = subject;

    public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

    public bool HasStatus { get; set; }

    public bool Healthy { get; set; } = true;

    public DateTimeOffset? UnhealthySince { get; set; }

    public string Summary { get; set; } = "";

    public Dictionary<string, double> Kpis { get; } = new(StringComparer.Ordinal);

    /// <summary>Each KPI's healthy baseline when it was last reported (NaN: too few healthy reports then).</summary>
    public Dictionary<string, double> KpiBaselines { get; } = new(StringComparer.Ordinal);

    /// <summary>Recent healthy values per KPI, oldest first.</summary>
    public Dictionary<string, Queue<double>> Baselines { get; } = new(StringComparer.Ordinal);

    /// <summary>Error events and error log lines, oldest first (kept for the burst window).</summary>
    public List<(DateTimeOffset At, string Text)> Errors { get; } = [];

    public List<ObjectRef> DependsOn { get; } = [];

    public bool Active { get; set; }

    public string ActiveReason { get; set; } = "";

    public void Write(BinaryWriter writer)
    {
        writer.Write(Key);
        WriteRef(writer, Subject);
        writer.Write(LastSeen.UtcTicks);
        writer.Write(HasStatus);
        writer.Write(Healthy);
        writer.Write(UnhealthySince.HasValue);
        writer.Write(UnhealthySince?.UtcTicks ?? 0);
        writer.Write(Summary);
        writer.Write(Kpis.Count);
        foreach (var (name, value) in Kpis.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(value);
            writer.Write(KpiBaselines.GetValueOrDefault(name, double.NaN));
        }

        writer.Write(Baselines.Count);
        foreach (var (name, values) in Baselines.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(values.Count);
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }

        writer.Write(Errors.Count);
        foreach (var (at, text) in Errors)
        {
            writer.Write(at.UtcTicks);
            writer.Write(text);
        }

        writer.Write(DependsOn.Count);
        foreach (var dependency in DependsOn)
        {
            WriteRef(writer, dependency);
        }

        writer.Write(Active);
        writer.Write(ActiveReason);
    }

    public static AdapterState Read(BinaryReader reader)
    {
        var state = new AdapterState(reader.ReadString(), ReadRef(reader))
        {
            LastSeen = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
            HasStatus = reader.ReadBoolean(),
            Healthy = reader.ReadBoolean(),
        };
        var hasSince = reader.ReadBoolean();
        var since = reader.ReadInt64();
        state.UnhealthySince = hasSince ? new DateTimeOffset(since, TimeSpan.Zero) : null;
        state.Summary = reader.ReadString();
        for (var i = Count(reader); i > 0; i--)
        {
            var name = reader.ReadString();
            state.Kpis[name] = reader.ReadDouble();
            state.KpiBaselines[name] = reader.ReadDouble();
        }

        for (var i = Count(reader); i > 0; i--)
        {
            var name = reader.ReadString();
            var values = new Queue<double>();
            for (var j = Count(reader); j > 0; j--)
            {
                values.Enqueue(reader.ReadDouble());
            }

            state.Baselines[name] = values;
        }

        for (var i = Count(reader); i > 0; i--)
        {
            state.Errors.Add((new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero), reader.ReadString()));
        }

        for (var i = Count(reader); i > 0; i--)
        {
            state.DependsOn.Add(ReadRef(reader));
        }

        state.Active = reader.ReadBoolean();
        state.ActiveReason = reader.ReadString();
        return state;
    }

    private static void WriteRef(BinaryWriter writer, ObjectRef reference)
    {
        var bytes = reference.ToByteArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static ObjectRef ReadRef(BinaryReader reader)
    {
        var length = Count(reader);
        if (length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"an object reference of {length} bytes is longer than what is left");
        }

        var bytes = reader.ReadBytes(length);
        try
        {
            return ObjectRef.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException("an object reference cannot be read", ex);
        }
    }

    private static int Count(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 ? count : throw new InvalidDataException($"negative count {count}");
    }
}
