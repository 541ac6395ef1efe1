namespace ChasiSre.Streams.Anomaly.Tests;

/// <summary><see cref="IPersistentAnomalyDetector"/>: a detector restored from its state scores the rest of a series exactly as the original.</summary>
public sealed class DetectorStateTests
{
    private static AnomalyLikelihoodOptions Likelihood => new() { LearningPeriod = 50, EstimationSamples = 50, HistoricWindowSize = 300, ReestimationPeriod = 20 };

    private static IPersistentAnomalyDetector Create(string detector) => detector switch
    {
        "zscore" => new RollingZScoreDetector(30),
        "likelihood" => new AnomalyLikelihood(new RollingZScoreDetector(30), Likelihood),
        _ => new SpatialAnomalyDetector(new AnomalyLikelihood(new RollingZScoreDetector(30), Likelihood), 100),
    };

    public static TheoryData<string, string, int> Cases()
    {
        var rows = new TheoryData<string, string, int>();
        foreach (var detector in new[] { "zscore", "likelihood", "spatial" })
        {
            foreach (var split in new[] { 10, 150, 299, 350 })
            {
                rows.Add(detector, "level-shift", split);
            }

            rows.Add(detector, "variance-change", 320);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReadState_WrittenMidSeries_ScoresTheRestIdentically(string detector, string scenario, int split)
    {
        var series = SeriesScenario.Create(scenario);
        var original = Create(detector);
        for (var t = 0; t < split; t++)
        {
            original.Update(series[t]);
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            original.WriteState(writer);
        }

        buffer.Position = 0;
        var restored = Create(detector);
        using (var reader = new BinaryReader(buffer))
        {
            restored.ReadState(reader);
        }

        var anomalies = 0;
        for (var t = split; t < series.Length; t++)
        {
            var expected = original.Update(series[t]);
            Assert.Equal(expected, restored.Update(series[t]));
            anomalies += expected.IsAnomaly ? 1 : 0;
        }

        if (split < SeriesScenario.Change)
        {
            Assert.True(anomalies > 0, "the compared part of the series holds an anomaly");
        }
    }

    [Fact]
    public void ReadState_OtherWindowOrDetectorOrTruncated_ThrowsInvalidData()
    {
        var detector = new RollingZScoreDetector(30);
        foreach (var value in SeriesScenario.Create("noisy").Take(40))
        {
            detector.Update(value);
        }

        var state = Write(detector);

        Assert.Throws<InvalidDataException>(() => Read(new RollingZScoreDetector(31), state));
        Assert.Throws<InvalidDataException>(() => Read(new AnomalyLikelihood(new RollingZScoreDetector(30), Likelihood), state));
        Assert.Throws<InvalidDataException>(() => Read(new RollingZScoreDetector(30), state[..^5]));
    }

    [Fact]
    public void WriteState_InnerDetectorNotPersistent_ThrowsNotSupported()
    {
        var spatial = new SpatialAnomalyDetector(new SpectralResidualDetector(new SpectralResidualOptions()), 10);

        Assert.Throws<NotSupportedException>(() => Write(spatial));
    }

    [Fact]
    public void Update_ZScore_ExposesTheBandItScoredAgainst()
    {
        var detector = new RollingZScoreDetector(4, threshold: 3);
        foreach (var value in new[] { 1.0, 2.0, 3.0, 4.0 })
        {
            detector.Update(value);
        }

        Assert.False(double.IsFinite(detector.Mean));
        var score = detector.Update(10);

        Assert.True(detector.IsWarm);
        Assert.Equal(2.5, detector.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), detector.Deviation, 12);
        Assert.Equal(7.5 / Math.Sqrt(5.0 / 3.0), score.Raw, 12);
    }

    private static byte[] Write(IPersistentAnomalyDetector detector)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            detector.WriteState(writer);
        }

        return buffer.ToArray();
    }

    private static void Read(IPersistentAnomalyDetector detector, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        detector.ReadState(reader);
    }
}
