namespace ChasiSre.Cli.Bench.Nab;

/// <summary>
/// NAB scoring as in numenta/NAB (nab/sweeper.py, nab/runner.py): a point inside a window scores
/// scaledSigmoid(-(end - i + 1) / width) * A_tp / scaledSigmoid(-1), and only the best (first)
/// detection of a window counts; a window without a detection costs -A_fn; a detection after a
/// window scores scaledSigmoid(|end - i| / (width - 1)) * A_fp and one before any window -A_fp.
/// The first 15% of each file's rows (at most 750) are ignored. The threshold is chosen once per
/// detector and profile over the whole corpus by sweeping every distinct anomaly score.
/// </summary>
internal sealed class NabScorer(double probationPercent = 0.15)
{
    /// <summary>The threshold NAB starts its sweep at: above every score, so nothing is detected.</summary>
    public const double NoDetectionThreshold = 1.1;

    private static readonly double MaxTruePositive = ScaledSigmoid(-1.0);

    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * relativePosition))) - 1.0;

    /// <summary>100 * (raw - null) / (perfect - null): the null detector scores 0, the perfect one 100.</summary>
    public static double Normalize(double raw, double nullScore, double perfectScore) =>
        100.0 * (raw - nullScore) / (perfectScore - nullScore);

    /// <summary>Every window detected at its first row: <c>windows * A_tp</c>.</summary>
    public static double PerfectScore(IEnumerable<NabDataFile> files, NabProfile profile) =>
        files.Sum(f => f.Windows.Count) * profile.TruePositiveWeight;

    public double ProbationaryLength(int rows) => Math.Min(Math.Floor(probationPercent * rows), probationPercent * 5000);

    /// <summary>Sweeps all distinct scores of the corpus and returns the threshold with the highest total (the highest such threshold on ties).</summary>
    public NabThreshold Optimize(IReadOnlyList<NabDataFile> files, IReadOnlyList<double[]> scores, NabProfile profile)
    {
        var anomalyScores = new List<double>();
        var sweepScores = new List<double>();
        var windowIds = new List<int>();
        var windowCount = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var rows = Rows(files[f], profile);
            foreach (var (row, sweep, window) in rows)
            {
                anomalyScores.Add(scores[f][row]);
                sweepScores.Add(sweep);
                windowIds.Add(window < 0 ? -1 : windowCount + window);
            }

            windowCount += files[f].Windows.Count;
        }

        var order = Enumerable.Range(0, anomalyScores.Count).ToArray();
        var keys = anomalyScores.Select(s => -s).ToArray();
        Array.Sort(keys, order);

        // Windows whose rows are all probationary take no part (NAB's scoreParts).
        var best = new double[windowCount];
        var scored = new bool[windowCount];
        foreach (var w in windowIds.Where(w => w >= 0))
        {
            scored[w] = true;
        }

        var total = 0.0;
        for (var w = 0; w < windowCount; w++)
        {
            if (scored[w])
            {
                best[w] = -profile.FalseNegativeWeight;
                total += best[w];
            }
        }

        var result = new NabThreshold(NoDetectionThreshold, total);
        for (var i = 0; i < order.Length;)
        {
            var threshold = anomalyScores[order[i]];
            for (; i < order.Length && anomalyScores[order[i]] == threshold; i++)
            {
                var point = order[i];
                var window = windowIds[point];
                if (window < 0)
                {
                    total += sweepScores[point];
                }
                else if (sweepScores[point] > best[window])
                {
                    total += sweepScores[point] - best[window];
                    best[window] = sweepScores[point];
                }
            }

            if (total > result.Score)
            {
                result = new NabThreshold(threshold, total);
            }
        }

        return result;
    }

    /// <summary>The raw NAB score of one file when every score at or above <paramref name="threshold"/> is a detection.</summary>
    public double Score(NabDataFile file, double[] scores, NabProfile profile, double threshold)
    {
        var best = new double?[file.Windows.Count];
        var falsePositives = 0.0;
        foreach (var (row, sweep, window) in Rows(file, profile))
        {
            if (window >= 0)
            {
                best[window] ??= -profile.FalseNegativeWeight;
            }

            if (scores[row] < threshold)
            {
                continue;
            }

            if (window < 0)
            {
                falsePositives += sweep;
            }
            else
            {
                best[window] = Math.Max(best[window]!.Value, sweep);
            }
        }

        return falsePositives + best.Sum(b => b ?? 0.0);
    }

    /// <summary>The scorable (post-probation) rows of a file with their weighted sweep score and window (-1 outside).</summary>
    private List<(int Row, double Sweep, int Window)> Rows(NabDataFile file, NabProfile profile)
    {
        var probation = ProbationaryLength(file.Values.Length);
        var rows = new List<(int Row, double Sweep, int Window)>(file.Values.Length);
        var next = 0;
        var current = -1;
        var previous = -1;
        for (var i = 0; i < file.Values.Length; i++)
        {
            if (current < 0 && next < file.Windows.Count && file.Windows[next].Start == i)
            {
                current = next++;
            }

            double sweep;
            if (current >= 0)
            {
                var (start, end) = file.Windows[current];
                var position = -(end - i + 1) / (double)(end - start + 1);
                sweep = ScaledSigmoid(position) * profile.TruePositiveWeight / MaxTruePositive;
            }
            else if (previous < 0)
            {
                sweep = -profile.FalsePositiveWeight;
            }
            else
            {
                var (start, end) = file.Windows[previous];
                var width = end - start + 1;
                var position = width > 1 ? Math.Abs(end - i) / (double)(width - 1) : double.PositiveInfinity;
                sweep = ScaledSigmoid(position) * profile.FalsePositiveWeight;
            }

            if (i >= probation)
            {
                rows.Add((i, sweep, current));
            }

            if (current >= 0 && file.Windows[current].End == i)
            {
                previous = current;
                current = -1;
            }
        }

        return rows;
    }
}
