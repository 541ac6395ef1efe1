namespace ChasiSre.Streams.Anomaly;

/// <summary>The verdict of a streaming detector on one point.</summary>
/// <param name="Raw">The detector's own score (for Spectral Residual the relative saliency (S - mean) / mean).</param>
/// <param name="Unit">A monotone squashing of <paramref name="Raw"/> into [0, 1] (what NAB thresholds).</param>
/// <param name="IsAnomaly">True when <paramref name="Raw"/> exceeds the detector's threshold.</param>
public readonly record struct AnomalyScore(double Raw, double Unit, bool IsAnomaly)
{
    /// <summary>The score of a point seen during warm-up, or of a point with nothing unusual about it.</summary>
    public static AnomalyScore None { get; }
}
