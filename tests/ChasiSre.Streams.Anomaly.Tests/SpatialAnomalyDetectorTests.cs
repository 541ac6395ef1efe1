namespace ChasiSre.Streams.Anomaly.Tests;

public sealed class SpatialAnomalyDetectorTests
{
    private const int LearningPeriod = 4;
    private static readonly AnomalyScore InnerScore = new(0.25, 0.2, false);

    // History spans [0, 10] (tolerance 0.05 → expected range [-0.5, 10.5]).
    private static readonly double[] History = [0, 10, 5, 2, 8, 3];

    [Theory]
    [InlineData(5.0, false)]
    [InlineData(10.4, false)]
    [InlineData(-0.4, false)]
    [InlineData(10.6, true)]
    [InlineData(-0.6, true)]
    [InlineData(100.0, true)]
    public void Update_AfterLearning_ForcesMaximumOnlyBeyondRangePlusTolerance(double value, bool forced)
    {
        var detector = new SpatialAnomalyDetector(new FixedDetector(InnerScore), LearningPeriod);
        foreach (var x in History)
        {
            Assert.Equal(InnerScore, detector.Update(x));
        }

        var score = detector.Update(value);

        Assert.Equal(forced ? new AnomalyScore(1.0, 1.0, true) : InnerScore, score);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(LearningPeriod - 1)]
    public void Update_DuringLearning_PassesTheInnerScoreThrough(int position)
    {
        var detector = new SpatialAnomalyDetector(new FixedDetector(InnerScore), LearningPeriod);
        for (var t = 0; t < position; t++)
        {
            detector.Update(t);
        }

        Assert.Equal(InnerScore, detector.Update(1000.0 * (position + 1)));
    }

    [Fact]
    public void Update_RangeGrowsAfterAForcedPoint_AndResetStartsOver()
    {
        var detector = new SpatialAnomalyDetector(new FixedDetector(InnerScore), LearningPeriod);
        foreach (var x in History)
        {
            detector.Update(x);
        }

        Assert.Equal(1.0, detector.Update(20.0).Unit);
        Assert.Equal(InnerScore, detector.Update(20.0));

        detector.Reset();
        Assert.Equal(InnerScore, detector.Update(0));
        Assert.Equal(InnerScore, detector.Update(1000));
    }

    private sealed class FixedDetector(AnomalyScore score) : IStreamingAnomalyDetector
    {
        public AnomalyScore Update(double value) => score;

        public void Reset()
        {
        }
    }
}
