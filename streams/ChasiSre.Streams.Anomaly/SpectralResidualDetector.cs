namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// Streaming univariate Spectral Residual detector (Ren et al., "Time-Series Anomaly Detection
/// Service at Microsoft", KDD 2019). Keeps the last <see cref="SpectralResidualOptions.WindowSize"/>
/// points, appends κ points extrapolated from the average gradient of the last m points, and
/// computes the saliency map |IFFT(exp(R + iP))| where R is the log-amplitude spectrum minus its
/// q-point moving average and P the phase. The newest point scores (S - mean) / mean against the
/// mean saliency of the z points before it. Not thread-safe; all buffers are allocated once.
/// </summary>
public sealed class SpectralResidualDetector : IStreamingAnomalyDetector
{
    private const double Epsilon = 1e-8;

    private readonly SpectralResidualOptions _options;
    private readonly Fft _fft;
    private readonly double[] _history;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _logAmplitude;
    private readonly double[] _saliency;
    private int _next;
    private int _count;

    public SpectralResidualDetector()
        : this(new SpectralResidualOptions())
    {
    }

    public SpectralResidualDetector(SpectralResidualOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _fft = new Fft(options.FftLength);
        _history = new double[options.WindowSize];
        _re = new double[options.FftLength];
        _im = new double[options.FftLength];
        _logAmplitude = new double[options.FftLength];
        _saliency = new double[options.FftLength];
    }

    /// <summary>True once the window is full and points get real scores.</summary>
    public bool IsWarm => _count >= _options.WindowSize;

    /// <inheritdoc />
    /// <remarks>Non-finite values are skipped (not added to the window) and score <see cref="AnomalyScore.None"/>.</remarks>
    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        _history[_next] = value;
        _next = (_next + 1) % _history.Length;
        if (_count < _history.Length)
        {
            _count++;
        }

        if (!IsWarm)
        {
            return AnomalyScore.None;
        }

        ComputeSaliency();

        var newest = _options.WindowSize - 1;
        var z = _options.SaliencyAveragingWindow;
        var sum = 0.0;
        for (var i = newest - z; i < newest; i++)
        {
            sum += _saliency[i];
        }

        var mean = sum / z;
        var raw = mean > Epsilon ? (_saliency[newest] - mean) / mean : 0.0;
        var unit = raw > 0 ? raw / (raw + _options.Threshold) : 0.0;
        return new AnomalyScore(raw, unit, raw > _options.Threshold);
    }

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_history);
        _next = 0;
        _count = 0;
    }

    private void ComputeSaliency()
    {
        var n = _options.WindowSize;
        var length = _options.FftLength;

        // Window in arrival order: _next points at the oldest value once the ring is full.
        for (var i = 0; i < n; i++)
        {
            _re[i] = _history[(_next + i) % n];
        }

        // Estimated points from the average gradient g of the m points before the newest one
        // against the point just before it (as the reference implementation does: a spike in the
        // newest point must not drag the extension along): x_est = x_{n-m} + g * m.
        var m = _options.GradientPoints;
        var last = _re[n - 2];
        var gradient = 0.0;
        for (var i = 1; i <= m; i++)
        {
            gradient += (last - _re[n - 2 - i]) / i;
        }

        gradient /= m;
        var estimate = _re[n - 1 - m] + (gradient * m);
        for (var i = n; i < length; i++)
        {
            _re[i] = estimate;
        }

        Array.Clear(_im);
        _fft.Forward(_re, _im);

        for (var k = 0; k < length; k++)
        {
            var magnitude = Math.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
            _logAmplitude[k] = magnitude > Epsilon ? Math.Log(magnitude) : 0.0;
        }

        // Trailing q-point moving average of the log amplitude (fewer points at the start).
        var q = _options.SpectrumAveragingWindow;
        var running = 0.0;
        for (var k = 0; k < length; k++)
        {
            running += _logAmplitude[k];
            if (k >= q)
            {
                running -= _logAmplitude[k - q];
            }

            var average = running / Math.Min(k + 1, q);
            var magnitude = Math.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
            if (magnitude <= Epsilon)
            {
                _re[k] = 0;
                _im[k] = 0;
                continue;
            }

            // exp(R + iP) = exp(R) * (re + i im) / |X|
            var factor = Math.Exp(_logAmplitude[k] - average) / magnitude;
            _re[k] *= factor;
            _im[k] *= factor;
        }

        _fft.Inverse(_re, _im);
        for (var i = 0; i < length; i++)
        {
            _saliency[i] = Math.Sqrt((_re[i] * _re[i]) + (_im[i] * _im[i]));
        }
    }
}
