namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// Baseline detector: |x - mean| / stddev over the preceding <c>windowSize</c> points.
/// Scores 0 until the window is full. Not thread-safe; the window is allocated once.
/// <see cref="Mean"/> and <see cref="Deviation"/> are the window's statistics against which the last point was scored
/// (its expected band is <c>Mean ± threshold · Deviation</c>).
/// </summary>
public sealed class RollingZScoreDetector : IPersistentAnomalyDetector
{
    private const byte StateTag = 1;

    private readonly double[] _window;
    private readonly double _threshold;
    private int _next;
    private int _count;

    public RollingZScoreDetector(int windowSize = 100, double threshold = 4.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        _window = new double[windowSize];
        _threshold = threshold;
    }

    /// <summary>True once the window is full (points are scored).</summary>
    public bool IsWarm => _count == _window.Length;

    /// <summary>The z threshold above which a point is an anomaly.</summary>
    public double Threshold => _threshold;

    /// <summary>Mean of the window the last scored point was compared with; NaN before the first score.</summary>
    public double Mean { get; private set; } = double.NaN;

    /// <summary>Sample standard deviation of that window; NaN before the first score.</summary>
    public double Deviation { get; private set; } = double.NaN;

    /// <inheritdoc />
    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        var score = AnomalyScore.None;
        if (_count == _window.Length)
        {
            var mean = 0.0;
            foreach (var x in _window)
            {
                mean += x;
            }

            mean /= _window.Length;
            var variance = 0.0;
            foreach (var x in _window)
            {
                variance += (x - mean) * (x - mean);
            }

            var deviation = Math.Sqrt(variance / (_window.Length - 1));
            Mean = mean;
            Deviation = deviation;
            var distance = Math.Abs(value - mean);
            var z = deviation > 1e-12 ? distance / deviation : (distance > 1e-12 ? double.PositiveInfinity : 0.0);
            var unit = double.IsPositiveInfinity(z) ? 1.0 : z / (z + _threshold);
            score = new AnomalyScore(z, unit, z > _threshold);
        }

        _window[_next] = value;
        _next = (_next + 1) % _window.Length;
        _count = Math.Min(_count + 1, _window.Length);
        return score;
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_window);
        _next = 0;
        _count = 0;
        Mean = double.NaN;
        Deviation = double.NaN;
    }

    /// <inheritdoc />
    public void WriteState(BinaryWriter writer)
    {
        DetectorStateFormat.WriteHeader(writer, StateTag);
        DetectorStateFormat.WriteArray(writer, _window);
        writer.Write(_next);
        writer.Write(_count);
        writer.Write(Mean);
        writer.Write(Deviation);
    }

    /// <inheritdoc />
    public void ReadState(BinaryReader reader)
    {
        DetectorStateFormat.ReadHeader(reader, StateTag, nameof(RollingZScoreDetector));
        DetectorStateFormat.ReadArray(reader, _window, nameof(RollingZScoreDetector));
        _next = DetectorStateFormat.Index(reader, _window.Length - 1);
        _count = DetectorStateFormat.Index(reader, _window.Length);
        Mean = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        Deviation = DetectorStateFormat.Read(reader, r => r.ReadDouble());
    }
}
