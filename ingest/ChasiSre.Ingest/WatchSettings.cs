namespace ChasiSre.Ingest;

/// <summary>How watchers list, watch and back off.</summary>
/// <param name="PageSize">Objects per list page.</param>
/// <param name="WatchTimeout">Server-side watch timeout; each watch picks a value in [t, 2t) so watches do not expire together.</param>
/// <param name="MinBackoff">First retry delay after a failure.</param>
/// <param name="MaxBackoff">Longest retry delay.</param>
/// <param name="ListParallelism">How many workers hand a long list page's objects to the output at once (1 = in list order, one at a time).</param>
public sealed record WatchSettings(int PageSize, TimeSpan WatchTimeout, TimeSpan MinBackoff, TimeSpan MaxBackoff, int ListParallelism = 1);
