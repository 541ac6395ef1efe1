namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// Options of <see cref="AnomalyLikelihood"/>. Defaults are NuPIC's <c>AnomalyLikelihood</c>
/// defaults (one day of 5-minute data to learn, eight hours to estimate, a month of history).
/// </summary>
public sealed record AnomalyLikelihoodOptions
{
    /// <summary>Raw scores at the start of the history left out of the estimate (the inner detector is still learning).</summary>
    public int LearningPeriod { get; init; } = 288;

    /// <summary>Raw scores after the learning period before the first estimate; the wrapper emits 0 until both have passed.</summary>
    public int EstimationSamples { get; init; } = 100;

    /// <summary>How many raw scores (and input values) the estimate looks back over.</summary>
    public int HistoricWindowSize { get; init; } = 8640;

    /// <summary>Points between re-estimates of the raw-score distribution.</summary>
    public int ReestimationPeriod { get; init; } = 100;

    /// <summary>Length of the short-term moving average of raw scores that is compared with the distribution.</summary>
    public int AveragingWindow { get; init; } = 10;

    /// <summary>
    /// Anomaly threshold on the likelihood (NuPIC's "red" level: tail probability ≤ 1e-5).
    /// Repeated red points after the first are damped to <see cref="DampedLikelihood"/>.
    /// </summary>
    public double RedLikelihood { get; init; } = 1.0 - 1e-5;

    /// <summary>The likelihood reported for a red point that directly follows another one (NuPIC's "yellow" level).</summary>
    public double DampedLikelihood { get; init; } = 1.0 - 1e-4;

    /// <summary>
    /// Keep the inner <see cref="AnomalyScore.Unit"/> (in [0, 1], like an HTM raw score) instead of
    /// <see cref="AnomalyScore.Raw"/> (default). Raw is the better fit for a Gaussian: a z-score's
    /// short-term average is near-normal on quiet data, while the squashed unit score saturates
    /// near 1 and compresses exactly the tail the likelihood needs.
    /// </summary>
    public bool UseUnitScore { get; init; }

    internal int ProbationaryPeriod => LearningPeriod + EstimationSamples;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(LearningPeriod);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EstimationSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoricWindowSize, ProbationaryPeriod);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReestimationPeriod);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(AveragingWindow);
        if (!(RedLikelihood > 0.5 && RedLikelihood < 1.0) || !(DampedLikelihood > 0.5 && DampedLikelihood <= RedLikelihood))
        {
            throw new ArgumentOutOfRangeException(nameof(RedLikelihood), "Need 0.5 < DampedLikelihood <= RedLikelihood < 1.");
        }
    }
}
