namespace ChasiSre.Streams.Anomaly;

/// <summary>Parameters of <see cref="SpectralResidualDetector"/>; the defaults follow Ren et al. (KDD 2019).</summary>
public sealed class SpectralResidualOptions
{
    /// <summary>Real points kept in the sliding window. <see cref="WindowSize"/> + <see cref="EstimatedPoints"/> must be a power of two (the FFT length).</summary>
    public int WindowSize { get; init; } = 59;

    /// <summary>κ: estimated points appended after the newest point so it is not at the edge of the window.</summary>
    public int EstimatedPoints { get; init; } = 5;

    /// <summary>m: points before the newest one whose average gradient extrapolates the estimated points.</summary>
    public int GradientPoints { get; init; } = 5;

    /// <summary>q: width of the moving average over the log-amplitude spectrum.</summary>
    public int SpectrumAveragingWindow { get; init; } = 3;

    /// <summary>z: preceding saliency values the newest point's saliency is compared with.</summary>
    public int SaliencyAveragingWindow { get; init; } = 21;

    /// <summary>τ: a point is anomalous when (S - mean) / mean exceeds this.</summary>
    public double Threshold { get; init; } = 3.0;

    /// <summary>The FFT length, <see cref="WindowSize"/> + <see cref="EstimatedPoints"/>.</summary>
    public int FftLength => WindowSize + EstimatedPoints;

    /// <summary>Throws when the parameters cannot work together.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(EstimatedPoints, 1, nameof(EstimatedPoints));
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientPoints, 1, nameof(GradientPoints));
        ArgumentOutOfRangeException.ThrowIfLessThan(SpectrumAveragingWindow, 1, nameof(SpectrumAveragingWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(SaliencyAveragingWindow, 1, nameof(SaliencyAveragingWindow));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WindowSize, Math.Max(SaliencyAveragingWindow, GradientPoints + 1), nameof(WindowSize));
        if (!int.IsPow2(FftLength))
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, $"WindowSize + EstimatedPoints must be a power of two (the FFT length), was {FftLength}.");
        }
    }
}
