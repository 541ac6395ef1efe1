namespace ChasiSre.Streams.Anomaly.Tests;

public sealed class AnomalyLikelihoodTests
{
    private const int Length = 3000;
    private const int Change = 2500;
    private const int Tolerance = 5;

    private static readonly AnomalyLikelihoodOptions Options = new() { LearningPeriod = 150, EstimationSamples = 150 };

    [Theory]
    [InlineData("zscore", 1)]
    [InlineData("zscore", 2)]
    [InlineData("zscore", 3)]
    [InlineData("spectral-residual", 1)]
    [InlineData("spectral-residual", 2)]
    public void Update_StationaryNoise_StaysBelowTheThresholdAlmostEverywhere(string inner, int seed)
    {
        var scores = Run(inner, Series("noisy", seed));

        var emitted = scores.Skip(Options.LearningPeriod + Options.EstimationSamples).ToArray();
        Assert.InRange(emitted.Count(s => s.IsAnomaly), 0, emitted.Length / 200);
        Assert.InRange(emitted.Average(s => s.Unit), 0.0, 0.2);
    }

    [Theory]
    [InlineData("zscore", "spike")]
    [InlineData("zscore", "level-shift")]
    [InlineData("zscore", "variance-change")]
    [InlineData("spectral-residual", "spike")]
    public void Update_ChangeAfterALongStationaryRun_ScoresHighWithinAFewPoints(string inner, string scenario)
    {
        var scores = Run(inner, Series(scenario, seed: 7));

        var near = scores.Skip(Change).Take(Tolerance + 1).ToArray();
        Assert.Contains(near, s => s.IsAnomaly);
        Assert.InRange(near.Max(s => s.Unit), 0.5, 1.0);
        Assert.InRange(scores.Take(Change).Max(s => s.Unit), 0.0, near.Max(s => s.Unit));
    }

    [Theory]
    [InlineData("zscore")]
    [InlineData("spectral-residual")]
    public void Update_DuringTheProbationaryPeriod_EmitsNone(string inner)
    {
        var detector = Create(inner);
        var series = Series("spike", seed: 3);
        for (var t = 0; t < Options.LearningPeriod + Options.EstimationSamples; t++)
        {
            Assert.False(detector.IsWarm);
            Assert.Equal(AnomalyScore.None, detector.Update(series[t] * (t % 11 == 0 ? 40 : 1)));
        }

        Assert.True(detector.IsWarm);
    }

    [Theory]
    [InlineData("zscore", "level-shift")]
    [InlineData("spectral-residual", "spike")]
    public void Update_IsDeterministic_AndResetStartsOver(string inner, string scenario)
    {
        var series = Series(scenario, seed: 11);
        var first = Run(inner, series);
        var second = Run(inner, series);
        Assert.Equal(first, second);

        var detector = Create(inner);
        foreach (var x in series)
        {
            detector.Update(x + 100);
        }

        detector.Reset();
        Assert.Equal(first, series.Select(detector.Update).ToArray());
    }

    [Fact]
    public async Task Update_ConstantSeries_UsesTheNullDistribution()
    {
        await Task.Yield();
        var detector = Create("zscore");
        for (var t = 0; t < 1000; t++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var score = detector.Update(5.0);
            Assert.False(score.IsAnomaly);
            Assert.InRange(score.Raw, 0.0, 0.6);
        }
    }

    [Theory]
    [InlineData(0.99999, 0.5)]
    [InlineData(0.5, 0.0301)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.0, 0.0)]
    public void LogLikelihood_MatchesNab(double likelihood, double expected) =>
        Assert.Equal(expected, AnomalyLikelihood.LogLikelihood(likelihood), 3);

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.1572992)]
    [InlineData(3.0, 2.20905e-5)]
    [InlineData(-1.0, 1.842701)]
    public void Erfc_MatchesTabulatedValues(double x, double expected) =>
        Assert.Equal(expected, AnomalyLikelihood.Erfc(x), expected * 1e-6);

    [Fact]
    public void TailProbability_IsSymmetricAroundTheMean()
    {
        Assert.Equal(0.5, AnomalyLikelihood.TailProbability(2.0, 2.0, 1.0), 6);
        Assert.Equal(AnomalyLikelihood.TailProbability(4.0, 2.0, 1.0), AnomalyLikelihood.TailProbability(0.0, 2.0, 1.0), 12);
        Assert.Equal(0.02275, AnomalyLikelihood.TailProbability(4.0, 2.0, 1.0), 4);
    }

    private static AnomalyLikelihood Create(string inner) => new(
        inner switch
        {
            "zscore" => new RollingZScoreDetector(),
            "spectral-residual" => new SpectralResidualDetector(),
            _ => throw new ArgumentOutOfRangeException(nameof(inner), inner, "Unknown inner detector."),
        },
        Options);

    private static AnomalyScore[] Run(string inner, double[] series)
    {
        var detector = Create(inner);
        var scores = new AnomalyScore[series.Length];
        for (var t = 0; t < series.Length; t++)
        {
            scores[t] = detector.Update(series[t]);
            Assert.InRange(scores[t].Unit, 0.0, 1.0);
        }

        return scores;
    }

    private static double[] Series(string name, int seed)
    {
        var random = new Random(seed);
        var series = new double[Length];
        for (var t = 0; t < Length; t++)
        {
            var u1 = 1.0 - random.NextDouble();
            var noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            series[t] = name switch
            {
                "noisy" => 10.0 + noise,
                "spike" => 10.0 + noise + (t == Change ? 12.0 : 0.0),
                "level-shift" => 10.0 + noise + (t >= Change ? 12.0 : 0.0),
                "variance-change" => 10.0 + (noise * (t >= Change ? 10.0 : 1.0)),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scenario."),
            };
        }

        return series;
    }
}
