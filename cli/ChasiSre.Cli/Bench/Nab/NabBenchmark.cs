using System.Diagnostics;
using System.Globalization;
using ChasiSre.Streams.Anomaly;

namespace ChasiSre.Cli.Bench.Nab;

/// <summary>
/// <c>chasi bench nab</c>: runs each detector over every NAB series, optimises one threshold per
/// detector and profile over the corpus, and normalises against the null detector (0) and the
/// perfect detector (100).
/// </summary>
internal sealed class NabBenchmark(string dataRoot)
{
    private const string NullDetector = "null";

    private static readonly (string Name, Func<NabDataFile, IStreamingAnomalyDetector?> Create)[] Detectors =
    [
        (NullDetector, _ => null),
        ("spectral_residual", _ => new SpectralResidualDetector()),
        ("rolling_zscore", _ => new RollingZScoreDetector()),
        ("spectral_residual_likelihood", f => new AnomalyLikelihood(new SpectralResidualDetector(), LikelihoodOptions(f))),
        ("rolling_zscore_likelihood", f => new AnomalyLikelihood(new RollingZScoreDetector(), LikelihoodOptions(f))),
        ("rolling_zscore_likelihood_spatial", f => new SpatialAnomalyDetector(
            new AnomalyLikelihood(new RollingZScoreDetector(), LikelihoodOptions(f)), LikelihoodOptions(f).LearningPeriod)),
    ];

    /// <summary>
    /// As NAB's numenta detector: the likelihood learns over the first half of NAB's own
    /// probationary period and estimates over the second, so it is warm when scoring starts.
    /// </summary>
    private static AnomalyLikelihoodOptions LikelihoodOptions(NabDataFile file)
    {
        var probation = (int)Math.Floor(Math.Min(0.15 * file.Values.Length, 750));
        var learning = probation / 2;
        return new AnomalyLikelihoodOptions { LearningPeriod = learning, EstimationSamples = Math.Max(1, probation - learning) };
    }

    public BenchmarkReport Run(CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var files = NabCorpus.LoadFiles(dataRoot);
        var profiles = NabCorpus.LoadProfiles(dataRoot);
        var scorer = new NabScorer();
        var points = files.Sum(f => f.Values.Length);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var baseline = new Dictionary<string, double>(StringComparer.Ordinal);
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = Path.GetFullPath(dataRoot),
            ["files"] = files.Count.ToString(CultureInfo.InvariantCulture),
            ["points"] = points.ToString(CultureInfo.InvariantCulture),
            ["windows"] = files.Sum(f => f.Windows.Count).ToString(CultureInfo.InvariantCulture),
            ["probation"] = "15% of rows, at most 750",
            ["spectral_residual.options"] = "window=59 kappa=5 m=5 q=3 z=21 tau=3 (fft=64)",
            ["rolling_zscore.options"] = "window=100 tau=4",
            ["likelihood.options"] = "learning=probation/2 estimation=probation-learning history=8640 reestimate=100 average=10 (inner: raw score)",
            ["spatial.options"] = "tolerance=0.05 of the range seen so far, forcing after the likelihood's learning period (NAB numenta)",
        };

        var categories = files.Select(f => f.Category).Distinct().Order(StringComparer.Ordinal).ToArray();
        var standard = profiles.First(p => p.Name == "standard");
        Dictionary<string, double>? nullRaw = null;
        Dictionary<string, double>? nullCategoryRaw = null;
        var normalized = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var (name, create) in Detectors)
        {
            var timer = Stopwatch.StartNew();
            var scores = new List<double[]>(files.Count);
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var detector = create(file);
                var fileScores = new double[file.Values.Length];
                if (detector is not null)
                {
                    for (var i = 0; i < fileScores.Length; i++)
                    {
                        fileScores[i] = detector.Update(file.Values[i]).Unit;
                    }
                }

                scores.Add(fileScores);
            }

            timer.Stop();

            var raw = new Dictionary<string, double>(StringComparer.Ordinal);
            var categoryRaw = new Dictionary<string, double>(StringComparer.Ordinal);
            var standardThreshold = 0.0;
            foreach (var profile in profiles)
            {
                var optimum = scorer.Optimize(files, scores, profile);
                raw[profile.Name] = optimum.Score;
                parameters[$"{name}.threshold.{ProfileKey(profile)}"] = optimum.Threshold.ToString("G6", CultureInfo.InvariantCulture);
                if (profile == standard)
                {
                    standardThreshold = optimum.Threshold;
                }
            }

            foreach (var category in categories)
            {
                categoryRaw[category] = files.Select((f, i) => (f, i)).Where(x => x.f.Category == category)
                    .Sum(x => scorer.Score(x.f, scores[x.i], standard, standardThreshold));
            }

            nullRaw ??= raw;
            nullCategoryRaw ??= categoryRaw;
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var profile in profiles)
            {
                result[ProfileKey(profile)] = NabScorer.Normalize(raw[profile.Name], nullRaw[profile.Name], NabScorer.PerfectScore(files, profile));
            }

            foreach (var category in categories)
            {
                var perfect = NabScorer.PerfectScore(files.Where(f => f.Category == category), standard);
                if (perfect != nullCategoryRaw[category])
                {
                    result[category] = NabScorer.Normalize(categoryRaw[category], nullCategoryRaw[category], perfect);
                }
            }

            var seconds = Math.Max(timer.Elapsed.TotalSeconds, 1e-9);
            if (name == NullDetector)
            {
                foreach (var profile in profiles)
                {
                    baseline[$"null_{ProfileKey(profile)}"] = result[ProfileKey(profile)];
                    baseline[$"null_{ProfileKey(profile)}_raw"] = raw[profile.Name];
                }

                continue;
            }

            result["points_per_s"] = points / seconds;
            normalized[name] = result;
            foreach (var (key, value) in result)
            {
                metrics[$"{name}.{key}"] = value;
            }
        }

        var best = normalized.MaxBy(d => d.Value["standard"]).Key;
        parameters["best_detector"] = best;
        foreach (var profile in profiles)
        {
            metrics[ProfileKey(profile)] = normalized[best][ProfileKey(profile)];
            var sr = normalized["spectral_residual"][ProfileKey(profile)];
            var z = normalized["rolling_zscore"][ProfileKey(profile)];
            if (z != 0)
            {
                ratios[$"spectral_residual_vs_rolling_zscore.{ProfileKey(profile)}"] = sr / z;
            }
        }

        parameters["wall_time_s"] = wall.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        return new BenchmarkReport("nab", metrics, baseline, ratios, parameters);
    }

    /// <summary>A profile's metric key: <c>standard</c>, <c>reward_low_fp</c>, <c>reward_low_fn</c>.</summary>
    private static string ProfileKey(NabProfile profile) =>
        profile.Name.Replace("_rate", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary><c>../shared/bench/nab</c> next to the repository root (found by walking up to ChasiSre.sln), else relative to the working directory.</summary>
    public static string DefaultDataRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ChasiSre.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench", "nab"));
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        return Path.Combine("..", "shared", "bench", "nab");
    }
}
