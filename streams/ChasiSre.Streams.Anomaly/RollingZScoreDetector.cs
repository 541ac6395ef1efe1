namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// Baseline detector: |x - mean| / stddev over the preceding <c>windowSize</c> points.
/// Scores 0 until the window is full. Not thread-safe; the window is allocated once.
/// </summary>
public sealed class RollingZScoreDetector : IStreamingAnomalyDetector
{
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
    }
}
