namespace ChasiSre.Sdk;

/// <summary>A log query: lines in <paramref name="Window"/> containing every keyword (case-insensitive), newest first, at most <paramref name="Limit"/>.</summary>
public sealed record LogQuery(TimeWindow Window, IReadOnlyList<string> Keywords, int Limit)
{
    /// <summary>True when <paramref name="message"/> contains every keyword.</summary>
    public bool Matches(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var keyword in Keywords)
        {
            if (!message.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
