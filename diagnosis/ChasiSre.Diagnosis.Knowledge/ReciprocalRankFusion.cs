namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each list adds
/// <c>weight / (k + rank)</c> for every id it ranks; ids are ordered by the sum (ties by the
/// better single rank, then id, so the order is deterministic).
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The usual constant; large k flattens the head of each list.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses ranked id lists (best first), each with a weight.</summary>
    public static IReadOnlyList<(string Id, double Score)> Fuse(IEnumerable<(IReadOnlyList<string> Ranked, double Weight)> lists, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<string, (double Score, int BestRank)>(StringComparer.Ordinal);
        foreach (var (ranked, weight) in lists)
        {
            for (int i = 0; i < ranked.Count; i++)
            {
                int rank = i + 1;
                var current = scores.GetValueOrDefault(ranked[i], (Score: 0d, BestRank: int.MaxValue));
                scores[ranked[i]] = (current.Score + (weight / (k + rank)), Math.Min(current.BestRank, rank));
            }
        }

        return scores
            .OrderByDescending(p => p.Value.Score)
            .ThenBy(p => p.Value.BestRank)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value.Score))
            .ToArray();
    }
}
