using System.Globalization;
using System.Text;
using ChasiSre.Cli.Bench.Nab;

namespace ChasiSre.Cli.Tests;

public sealed class NabScorerTests : IDisposable
{
    private static readonly DateTime Origin = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"chasi-nab-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("reward_low_FP_rate")]
    [InlineData("reward_low_FN_rate")]
    public async Task Optimize_NullAndPerfectDetectors_NormaliseToZeroAndHundred(string profileName)
    {
        var (files, profile) = await LoadAsync(profileName);
        var scorer = new NabScorer();
        var nullScores = files.Select(f => new double[f.Values.Length]).ToArray();
        var perfectScores = files.Select(f =>
        {
            var scores = new double[f.Values.Length];
            foreach (var (start, _) in f.Windows)
            {
                scores[start] = 1.0;
            }

            return scores;
        }).ToArray();

        var nullRaw = scorer.Optimize(files, nullScores, profile).Score;
        var perfect = scorer.Optimize(files, perfectScores, profile);
        var perfectScore = NabScorer.PerfectScore(files, profile);

        Assert.Equal(-3 * profile.FalseNegativeWeight, nullRaw);
        Assert.Equal(1.0, perfect.Threshold);
        Assert.Equal(0.0, NabScorer.Normalize(nullRaw, nullRaw, perfectScore));
        Assert.Equal(100.0, NabScorer.Normalize(perfect.Score, nullRaw, perfectScore), 9);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("reward_low_FP_rate")]
    [InlineData("reward_low_FN_rate")]
    public async Task Score_DetectionBeforeTheWindow_CostsTheFalsePositiveWeight(string profileName)
    {
        var (files, profile) = await LoadAsync(profileName);
        var file = files.Single(f => f.Category == "alpha");

        var missed = ScoreWithDetections(file, profile);
        var early = ScoreWithDetections(file, profile, 30);

        Assert.Equal(-profile.FalseNegativeWeight, missed);
        Assert.Equal(missed - profile.FalsePositiveWeight, early, 12);
    }

    [Theory]
    [InlineData("standard", 41, 48)]
    [InlineData("standard", 40, 44)]
    [InlineData("reward_low_FN_rate", 45, 49)]
    public async Task Score_LaterDetectionInTheWindow_EarnsLess(string profileName, int earlier, int later)
    {
        var (files, profile) = await LoadAsync(profileName);
        var file = files.Single(f => f.Category == "alpha");

        var early = ScoreWithDetections(file, profile, earlier);
        var late = ScoreWithDetections(file, profile, later);

        Assert.True(late > 0 && early > late, $"early {early}, late {late}");
        Assert.Equal(early, ScoreWithDetections(file, profile, earlier, later), 12);
        Assert.Equal(profile.TruePositiveWeight, ScoreWithDetections(file, profile, 40), 12);
    }

    [Fact]
    public async Task Score_DetectionAfterTheWindow_CostsLessThanAFullFalsePositive()
    {
        var (files, profile) = await LoadAsync("standard");
        var file = files.Single(f => f.Category == "alpha");

        var after = ScoreWithDetections(file, profile, 55) - ScoreWithDetections(file, profile);

        Assert.Equal(NabScorer.ScaledSigmoid(6.0 / 9.0) * profile.FalsePositiveWeight, after, 12);
        Assert.InRange(after, -profile.FalsePositiveWeight, 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(14)]
    public async Task Score_DetectionInTheProbationaryPeriod_IsIgnored(int row)
    {
        var (files, profile) = await LoadAsync("standard");
        var file = files.Single(f => f.Category == "alpha");

        Assert.Equal(15, new NabScorer().ProbationaryLength(file.Values.Length));
        Assert.Equal(ScoreWithDetections(file, profile), ScoreWithDetections(file, profile, row));
        Assert.NotEqual(ScoreWithDetections(file, profile), ScoreWithDetections(file, profile, 15));
    }

    [Theory]
    [InlineData(-1.0, 0.98661)]
    [InlineData(-0.5, 0.84828)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, -0.98661)]
    [InlineData(3.5, -1.0)]
    public void ScaledSigmoid_Position_MatchesNab(double position, double expected) =>
        Assert.Equal(expected, NabScorer.ScaledSigmoid(position), 5);

    private static double ScoreWithDetections(NabDataFile file, NabProfile profile, params int[] rows)
    {
        var scores = new double[file.Values.Length];
        foreach (var row in rows)
        {
            scores[row] = 1.0;
        }

        return new NabScorer().Score(file, scores, profile, 0.5);
    }

    /// <summary>alpha/a.csv: 100 rows, window rows 40-49; beta/b.csv: 200 rows, windows 100-119 and 150-159.</summary>
    private async Task<(IReadOnlyList<NabDataFile> Files, NabProfile Profile)> LoadAsync(string profileName)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_root, "data", "alpha"));
        Directory.CreateDirectory(Path.Combine(_root, "data", "beta"));
        Directory.CreateDirectory(Path.Combine(_root, "labels"));
        Directory.CreateDirectory(Path.Combine(_root, "config"));
        await File.WriteAllTextAsync(Path.Combine(_root, "data", "alpha", "a.csv"), Csv(100), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_root, "data", "beta", "b.csv"), Csv(200), cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(_root, "labels", "combined_windows.json"),
            $$"""
            {
              "alpha/a.csv": [["{{Stamp(40)}}.000000", "{{Stamp(49)}}.000000"]],
              "beta/b.csv": [["{{Stamp(100)}}.000000", "{{Stamp(119)}}.000000"], ["{{Stamp(150)}}.000000", "{{Stamp(159)}}.000000"]]
            }
            """,
            cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(_root, "config", "profiles.json"),
            """
            {
              "standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
              "reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}},
              "reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}}
            }
            """,
            cancellationToken);

        var files = NabCorpus.LoadFiles(_root);
        Assert.Equal([(40, 49)], files.Single(f => f.Category == "alpha").Windows);
        return (files, NabCorpus.LoadProfiles(_root).Single(p => p.Name == profileName));
    }

    private static string Csv(int rows)
    {
        var csv = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Stamp(i)},{Math.Sin(i / 5.0):F4}\n");
        }

        return csv.ToString();
    }

    private static string Stamp(int row) => Origin.AddMinutes(5 * row).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
