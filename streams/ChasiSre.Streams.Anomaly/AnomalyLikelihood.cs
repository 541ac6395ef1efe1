namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// NAB/NuPIC-style anomaly likelihood over any raw scorer. It keeps a history of the inner
/// detector's scores, models their short-term (<see cref="AnomalyLikelihoodOptions.AveragingWindow"/>-point)
/// moving average as a Gaussian fitted over the history (re-fitted every
/// <see cref="AnomalyLikelihoodOptions.ReestimationPeriod"/> points, learning period excluded), and
/// reports how improbable the current moving average is: likelihood = 1 - tail probability.
/// <see cref="AnomalyScore.Raw"/> is that likelihood; <see cref="AnomalyScore.Unit"/> is NAB's
/// log-likelihood, log(1.0000000001 - likelihood) / log(1e-10), so 0.99999 maps to 0.5.
/// Emits <see cref="AnomalyScore.None"/> during the probationary period. Deterministic; not
/// thread-safe; buffers are allocated once.
/// </summary>
public sealed class AnomalyLikelihood : IPersistentAnomalyDetector
{
    private const byte StateTag = 2;

    // NuPIC's floors for the fitted distribution: a near-constant raw score would otherwise make
    // the smallest blip "red", and a constant metric says nothing at all.
    private const double MinimumMean = 0.03;
    private const double MinimumVariance = 0.0003;
    private const double MinimumMetricVariance = 1.5e-5;
    private const double MaximumRawScore = 1e6;
    private static readonly double LogScale = Math.Log(1e-10);

    private readonly IStreamingAnomalyDetector _inner;
    private readonly AnomalyLikelihoodOptions _options;
    private readonly double[] _scores;
    private readonly double[] _values;
    private readonly double[] _recent;
    private int _next;
    private int _count;
    private long _iteration;
    private int _recentNext;
    private int _recentCount;
    private double _recentSum;
    private bool _hasDistribution;
    private double _mean;
    private double _stdev;
    private double _previousTail = 1.0;

    public AnomalyLikelihood(IStreamingAnomalyDetector inner, AnomalyLikelihoodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _options = options ?? new AnomalyLikelihoodOptions();
        _options.Validate();
        _inner = inner;
        _scores = new double[_options.HistoricWindowSize];
        _values = new double[_options.HistoricWindowSize];
        _recent = new double[_options.AveragingWindow];
    }

    /// <summary>The score of the last <see cref="Update"/> since construction, <see cref="Reset"/> or <see cref="ReadState"/> (not part of the saved state).</summary>
    public AnomalyScore Last { get; private set; }

    /// <summary>True once the probationary period (learning + estimation samples) has passed.</summary>
    public bool IsWarm => _iteration >= _options.ProbationaryPeriod;

    /// <summary>NAB's log scaling of a likelihood into [0, 1]: 0.5 at 0.99999, 1 at 1.</summary>
    public static double LogLikelihood(double likelihood) =>
        Math.Clamp(Math.Log(1.0000000001 - likelihood) / LogScale, 0.0, 1.0);

    /// <summary>P(X ≥ x) for X ~ N(mean, stdev²), mirrored below the mean (as NuPIC does, so a dip also counts).</summary>
    public static double TailProbability(double x, double mean, double stdev)
    {
        var z = Math.Abs(x - mean) / stdev;
        return 0.5 * Erfc(z / Math.Sqrt(2.0));
    }

    /// <inheritdoc />
    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        var inner = _inner.Update(value);
        var raw = _options.UseUnitScore ? inner.Unit : inner.Raw;
        if (!double.IsFinite(raw))
        {
            // An infinite z-score (a change off a constant window) is as anomalous as it gets;
            // cap it so the history's moments stay finite.
            raw = _options.UseUnitScore ? 1.0 : (double.IsPositiveInfinity(raw) ? MaximumRawScore : 0.0);
        }

        var average = PushRecent(raw);
        var score = AnomalyScore.None;
        if (IsWarm)
        {
            if (!_hasDistribution || _iteration % _options.ReestimationPeriod == 0)
            {
                Estimate();
            }

            var tail = TailProbability(average, _mean, _stdev);
            var red = 1.0 - _options.RedLikelihood;
            var filtered = tail <= red && _previousTail <= red ? 1.0 - _options.DampedLikelihood : tail;
            _previousTail = tail;
            var likelihood = 1.0 - filtered;
            score = new AnomalyScore(likelihood, LogLikelihood(likelihood), likelihood >= _options.RedLikelihood);
        }

        Last = score;
        _scores[_next] = raw;
        _values[_next] = value;
        _next = (_next + 1) % _scores.Length;
        _count = Math.Min(_count + 1, _scores.Length);
        _iteration++;
        return score;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _inner.Reset();
        Array.Clear(_scores);
        Array.Clear(_values);
        Array.Clear(_recent);
        _next = 0;
        _count = 0;
        _iteration = 0;
        _recentNext = 0;
        _recentCount = 0;
        _recentSum = 0;
        _hasDistribution = false;
        _mean = 0;
        _stdev = 0;
        _previousTail = 1.0;
        Last = AnomalyScore.None;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner detector is not an <see cref="IPersistentAnomalyDetector"/>.</exception>
    public void WriteState(BinaryWriter writer)
    {
        var inner = Persistent();
        DetectorStateFormat.WriteHeader(writer, StateTag);
        // Only the filled part of the history: a young series (the common case in a store) stays small.
        writer.Write(_scores.Length);
        writer.Write(_count);
        writer.Write(_next);
        var oldest = _count == _scores.Length ? _next : 0;
        for (var i = 0; i < _count; i++)
        {
            var at = (oldest + i) % _scores.Length;
            writer.Write(_scores[at]);
            writer.Write(_values[at]);
        }

        writer.Write(_iteration);
        DetectorStateFormat.WriteArray(writer, _recent);
        writer.Write(_recentNext);
        writer.Write(_recentCount);
        writer.Write(_recentSum);
        writer.Write(_hasDistribution);
        writer.Write(_mean);
        writer.Write(_stdev);
        writer.Write(_previousTail);
        inner.WriteState(writer);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The inner detector is not an <see cref="IPersistentAnomalyDetector"/>.</exception>
    public void ReadState(BinaryReader reader)
    {
        var inner = Persistent();
        DetectorStateFormat.ReadHeader(reader, StateTag, nameof(AnomalyLikelihood));
        DetectorStateFormat.ExpectLength(DetectorStateFormat.Read(reader, r => r.ReadInt32()), _scores.Length, nameof(AnomalyLikelihood));
        var count = DetectorStateFormat.Index(reader, _scores.Length);
        var next = DetectorStateFormat.Index(reader, _scores.Length - 1);
        Array.Clear(_scores);
        Array.Clear(_values);
        var oldest = count == _scores.Length ? next : 0;
        for (var i = 0; i < count; i++)
        {
            var at = (oldest + i) % _scores.Length;
            _scores[at] = DetectorStateFormat.Read(reader, r => r.ReadDouble());
            _values[at] = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        }

        _count = count;
        _next = next;
        _iteration = DetectorStateFormat.Read(reader, r => r.ReadInt64());
        DetectorStateFormat.ReadArray(reader, _recent, nameof(AnomalyLikelihood));
        _recentNext = DetectorStateFormat.Index(reader, _recent.Length - 1);
        _recentCount = DetectorStateFormat.Index(reader, _recent.Length);
        _recentSum = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        _hasDistribution = DetectorStateFormat.Read(reader, r => r.ReadBoolean());
        _mean = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        _stdev = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        _previousTail = DetectorStateFormat.Read(reader, r => r.ReadDouble());
        Last = AnomalyScore.None;
        inner.ReadState(reader);
    }

    private IPersistentAnomalyDetector Persistent() =>
        _inner as IPersistentAnomalyDetector
        ?? throw new NotSupportedException($"the inner detector {_inner.GetType().Name} cannot save its state");

    private double PushRecent(double raw)
    {
        if (_recentCount == _recent.Length)
        {
            _recentSum -= _recent[_recentNext];
        }
        else
        {
            _recentCount++;
        }

        _recent[_recentNext] = raw;
        _recentSum += raw;
        _recentNext = (_recentNext + 1) % _recent.Length;
        return _recentSum / _recentCount;
    }

    /// <summary>
    /// Fits N(mean, stdev²) to the moving averages of the stored raw scores, skipping those still
    /// in the learning period (NuPIC's <c>estimateAnomalyLikelihoods</c> with <c>_calcSkipRecords</c>).
    /// </summary>
    private void Estimate()
    {
        var shiftedOut = Math.Max(0L, _iteration - _scores.Length);
        var skip = (int)Math.Min(_count, Math.Max(0L, _options.LearningPeriod - shiftedOut));
        var oldest = _count == _scores.Length ? _next : 0;
        var window = _options.AveragingWindow;

        double sum = 0, sumSquares = 0, valueSum = 0, valueSumSquares = 0, windowSum = 0;
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            var at = (oldest + i) % _scores.Length;
            windowSum += _scores[at];
            if (i >= window)
            {
                windowSum -= _scores[(oldest + i - window) % _scores.Length];
            }

            if (i < skip)
            {
                continue;
            }

            var average = windowSum / Math.Min(i + 1, window);
            sum += average;
            sumSquares += average * average;
            valueSum += _values[at];
            valueSumSquares += _values[at] * _values[at];
            n++;
        }

        _hasDistribution = true;
        var mean = n > 0 ? sum / n : 0.0;
        var variance = n > 0 ? Math.Max(0.0, (sumSquares / n) - (mean * mean)) : 0.0;
        var valueMean = n > 0 ? valueSum / n : 0.0;
        var valueVariance = n > 0 ? Math.Max(0.0, (valueSumSquares / n) - (valueMean * valueMean)) : 0.0;
        if (sum == 0 || valueVariance < MinimumMetricVariance)
        {
            // NuPIC's null distribution: likelihood stays ~0.5 whatever the score.
            _mean = 0.5;
            _stdev = 1e6;
            return;
        }

        _mean = Math.Max(mean, MinimumMean);
        _stdev = Math.Sqrt(Math.Max(variance, MinimumVariance));
    }

    /// <summary>Complementary error function with relative error below 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc).</summary>
    internal static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var result = t * Math.Exp(poly);
        return x >= 0 ? result : 2.0 - result;
    }
}
