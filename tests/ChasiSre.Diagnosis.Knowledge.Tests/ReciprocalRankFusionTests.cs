namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_TwoLists_SumsWeightedReciprocalRanks()
    {
        var fused = ReciprocalRankFusion.Fuse([(["a", "b", "c"], 1.0), (["c", "a"], 1.0)], k: 60);

        Assert.Equal(["a", "c", "b"], fused.Select(f => f.Id));
        Assert.Equal((1.0 / 61) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void Fuse_ZeroWeight_ListIgnoredExceptAsTieBreak()
    {
        var fused = ReciprocalRankFusion.Fuse([(["a", "b"], 1.0), (["b", "z"], 0.0)]);

        Assert.Equal(["a", "b", "z"], fused.Select(f => f.Id));
        Assert.Equal(0, fused[2].Score);
    }

    [Fact]
    public void Fuse_EqualScores_OrderedByBestRankThenId()
    {
        var fused = ReciprocalRankFusion.Fuse([(["x", "y"], 1.0), (["y", "x"], 1.0), (["q"], 1.0), (["p"], 1.0)], k: 0);

        Assert.Equal(["x", "y", "p", "q"], fused.Select(f => f.Id));
    }
}
