namespace ChasiSre.Streams.Anomaly.Tests;

public sealed class SpectralResidualDetectorTests
{
    private const int Tolerance = 3;

    /// <summary>
    /// White Gaussian noise has no spectral structure, so SR's relative saliency wanders: at
    /// τ = 3 about 2% of its points cross the threshold (2σ jumps), well below a real change
    /// (raw 10+). The table bounds that rate instead of pretending it is zero.
    /// </summary>
    [Theory]
    [InlineData("flat", 0.0)]
    [InlineData("noisy", 0.03)]
    public void Update_StationarySeries_FlagsAtMostTheNoiseRate(string scenario, double maxFlaggedFraction)
    {
        var (raw, flagged) = Run(scenario);

        Assert.InRange(flagged.Count, 0, (int)(maxFlaggedFraction * SeriesScenario.Length));
        Assert.InRange(raw.Max(), double.NegativeInfinity, 6.0);
    }

    [Theory]
    [InlineData("spike")]
    [InlineData("level-shift")]
    [InlineData("variance-change")]
    [InlineData("sine-with-spike")]
    public void Update_SeriesWithAChange_FlagsTheChangeAsTheMostSalientPoint(string scenario)
    {
        var (raw, flagged) = Run(scenario);

        var strongest = Array.IndexOf(raw, raw.Max());
        Assert.InRange(strongest, SeriesScenario.Change, SeriesScenario.Change + Tolerance);
        Assert.Contains(flagged, t => t >= SeriesScenario.Change && t <= SeriesScenario.Change + Tolerance);
    }

    [Fact]
    public void Update_SineWithSpike_DoesNotFlagThePeaksOrTroughs()
    {
        var (_, flagged) = Run("sine-with-spike");

        // Period 50: peaks at t = 12.5 + 50k, troughs at 37.5 + 50k.
        Assert.DoesNotContain(flagged, t => Math.Abs(((t + 50 - 12.5) % 25) - 12.5) > 10);
        Assert.Contains(SeriesScenario.Change, flagged);
    }

    private static (double[] Raw, List<int> Flagged) Run(string scenario)
    {
        var detector = new SpectralResidualDetector();
        var series = SeriesScenario.Create(scenario);
        var raw = new double[series.Length];
        var flagged = new List<int>();
        for (var t = 0; t < series.Length; t++)
        {
            var score = detector.Update(series[t]);
            Assert.InRange(score.Unit, 0.0, 1.0);
            raw[t] = score.Raw;
            if (score.IsAnomaly)
            {
                flagged.Add(t);
            }
        }

        return (raw, flagged);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(123)]
    public void Update_BeforeTheWindowIsFull_ScoresZero(int windowSize)
    {
        var detector = new SpectralResidualDetector(new SpectralResidualOptions { WindowSize = windowSize });
        var series = SeriesScenario.Create("spike");
        for (var t = 0; t < windowSize - 1; t++)
        {
            Assert.Equal(AnomalyScore.None, detector.Update(series[t] * (t % 7 == 0 ? 50 : 1)));
            Assert.False(detector.IsWarm);
        }

        detector.Update(series[windowSize]);
        Assert.True(detector.IsWarm);
    }

    [Fact]
    public void Update_SameSeriesTwice_IsDeterministicAcrossReset()
    {
        var detector = new SpectralResidualDetector();
        var series = SeriesScenario.Create("sine-with-spike");
        var first = series.Select(detector.Update).ToArray();
        detector.Reset();
        var second = series.Select(detector.Update).ToArray();
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(64)]
    public void Constructor_FftLengthNotAPowerOfTwo_Throws(int windowSize)
    {
        if (int.IsPow2(windowSize + 5))
        {
            _ = new SpectralResidualDetector(new SpectralResidualOptions { WindowSize = windowSize });
            return;
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralResidualDetector(new SpectralResidualOptions { WindowSize = windowSize }));
    }
}
