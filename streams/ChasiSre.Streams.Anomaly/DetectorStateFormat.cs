namespace ChasiSre.Streams.Anomaly;

/// <summary>Framing shared by the detectors' <see cref="IPersistentAnomalyDetector"/> states: a tag and a version per detector.</summary>
internal static class DetectorStateFormat
{
    public const byte Version = 1;

    public static void WriteHeader(BinaryWriter writer, byte tag)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(tag);
        writer.Write(Version);
    }

    public static void ReadHeader(BinaryReader reader, byte tag, string detector)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var (actualTag, version) = Read(reader, r => (r.ReadByte(), r.ReadByte()));
        if (actualTag != tag || version != Version)
        {
            throw new InvalidDataException($"not a {detector} state (tag {actualTag}, version {version}; expected tag {tag}, version {Version})");
        }
    }

    public static void ExpectLength(int actual, int expected, string detector)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"{detector} state has a window of {actual} points; this detector is configured for {expected}");
        }
    }

    public static void WriteArray(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    public static void ReadArray(BinaryReader reader, double[] into, string detector)
    {
        var length = Read(reader, r => r.ReadInt32());
        ExpectLength(length, into.Length, detector);
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = Read(reader, r => r.ReadDouble());
        }
    }

    /// <summary>Reads with <paramref name="read"/>, turning a truncated stream into <see cref="InvalidDataException"/>.</summary>
    public static T Read<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        try
        {
            return read(reader);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("detector state is truncated", ex);
        }
    }

    public static int Index(BinaryReader reader, int bound)
    {
        var value = Read(reader, r => r.ReadInt32());
        if (value < 0 || value > bound)
        {
            throw new InvalidDataException($"detector state holds index {value} outside [0, {bound}]");
        }

        return value;
    }
}
