namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// NAB's numenta-detector "spatial anomaly" rule as a decorator: it tracks the minimum and
/// maximum of the input values seen so far and, when a new value lies outside that range by more
/// than <see cref="DefaultTolerance"/> (a fraction of the range's width), forces the score to its
/// maximum (<see cref="AnomalyScore.Unit"/> = 1). The range is updated after the check. Forcing
/// starts only once <c>learningPeriod</c> points have been seen (the range itself is tracked from
/// the first point, as NAB does); otherwise the inner score passes through unchanged.
/// Non-finite values pass through without touching the range. Deterministic; not thread-safe.
/// </summary>
public sealed class SpatialAnomalyDetector : IPersistentAnomalyDetector
{
    private const byte StateTag = 3;

    /// <summary>NAB's <c>SPATIAL_TOLERANCE</c>: 5% of the range seen so far.</summary>
    public const double DefaultTolerance = 0.05;

    private readonly IStreamingAnomalyDetector _inner;
    private readonly int _learningPeriod;
    private readonly double _tolerance;
    private long _seen;
    private double _min = double.NaN;
    private double _max = double.NaN;

    public SpatialAnomalyDetector(IStreamingAnomalyDetector inner, int learningPeriod, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(learningPeriod);
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Need a finite tolerance >= 0.");
        }

        _inner = inner;
        _learningPeriod = learningPeriod;
        _tolerance = tolerance;
    }

    /// <summary>Smallest value seen so far; NaN before the first.</summary>
    public double Minimum => _min;

    /// <summary>Largest value seen so far; NaN before the first.</summary>
    public double Maximum => _max;

    /// <summary>True once the learning period has passed (out-of-range values are forced to anomalies).</summary>
    public bool IsWarm => _seen >= _learningPeriod;

    /// <summary>True when the last point was forced to an anomaly by the range rule.</summary>
    public bool LastWasOutOfRange { get; private set; }

    /// <inheritdoc />
    public AnomalyScore Update(double value)
    {
        var score = _inner.Update(value);
        LastWasOutOfRange = false;
        if (!double.IsFinite(value))
        {
            return score;
        }

        var spatial = false;
        if (_seen >= _learningPeriod && _max > _min)
        {
            var margin = (_max - _min) * _tolerance;
            spatial = value > _max + margin || value < _min - margin;
        }

        if (double.IsNaN(_min) || value < _min)
        {
            _min = value;
        }

        if (double.IsNaN(_max) || value > _max)
        {
            _max = value;
        }

        _seen++;
        LastWasOutOfRange = spatial;
        return spatial ? new AnomalyScore(Math.Max(score.Raw, 1.0), 1.0, true) : score;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _inner.Reset();
        _seen = 0;
        _min = double.NaN;
        _max = double.NaN;
        LastWasOutOfRange = false;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner detector is not an <see cref="IPersistentAnomalyDetector"/>.</exception>
    public void WriteState(BinaryWriter writer)
    {
        var inner = Persistent();
        DetectorStateFormat.WriteHeader(writer, StateTag);
        writer.Write(_seen);
        writer.Write(_min);
        writer.Write(_max);
        writer.Write(LastWasOutOfRange);
        inner.WriteState(writer);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner detector is not an <see cref="IPersistentAnomalyDetector"/>.</exception>
    public void ReadState(BinaryReader reader)
    {
        var inner = Persistent();
        DetectorStateFormat.ReadHeader(reader, StateTag, nameof(SpatialAnomalyDetector));
        var seen = DetectorStateFormat.Read(reader, r => r.ReadInt64());
        if (seen < 0)
        {
            throw new InvalidDataException($"{nameof(SpatialAnomalyDetector)} state has seen {seen} points");
        }

        _seen = seen;
        _min = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        _max = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        LastWasOutOfRange = DetectorStateFormat.Read(reader, r => r.ReadBoolean());
        inner.ReadState(reader);
    }

    private IPersistentAnomalyDetector Persistent() =>
        _inner as IPersistentAnomalyDetector
        ?? throw new NotSupportedException($"the inner detector {_inner.GetType().Name} cannot save its state");
}
