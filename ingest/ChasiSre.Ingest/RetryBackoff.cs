namespace ChasiSre.Ingest;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog's "full jitter"): the n-th delay is
/// uniform in [min, min(max, min * 2^n)], so many watchers that failed together do not retry together.
/// </summary>
internal sealed class RetryBackoff
{
    private readonly TimeSpan min;
    private readonly TimeSpan max;
    private int attempt;

    public RetryBackoff(TimeSpan min, TimeSpan max)
    {
        this.min = min;
        this.max = max;
    }

    public int Attempts => attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        attempt++;
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds + (Random.Shared.NextDouble() * (ceiling - min.TotalMilliseconds)));
    }

    public void Reset() => attempt = 0;
}
