using System.Collections.Concurrent;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Requests served per verb and per resource, for comparing watch-based ingest against
/// periodic full scans. Every request counts, including ones failed by a fault. Thread-safe.
/// </summary>
public sealed class SimulatorRequestCounters
{
    private readonly ConcurrentDictionary<(SimulatorVerb Verb, string Resource), long> _counts = new();
    private long _total;

    /// <summary>All requests since start or the last <see cref="Reset"/>.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests of one verb, over all resources.</summary>
    public long Count(SimulatorVerb verb) => _counts.Where(kv => kv.Key.Verb == verb).Sum(kv => kv.Value);

    /// <summary>Requests of one verb on one group-qualified resource (<c>pods</c>, <c>deployments.apps</c>).</summary>
    public long Count(SimulatorVerb verb, string resource) => _counts.TryGetValue((verb, resource), out var n) ? n : 0;

    /// <summary>Requests on one resource, over all verbs.</summary>
    public long CountResource(string resource) => _counts.Where(kv => kv.Key.Resource == resource).Sum(kv => kv.Value);

    /// <summary>A copy of every non-zero counter; non-resource requests have the resource "".</summary>
    public IReadOnlyDictionary<(SimulatorVerb Verb, string Resource), long> Snapshot() =>
        _counts.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);

    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    internal void Record(SimulatedRequest request)
    {
        _counts.AddOrUpdate((request.Verb, request.Resource ?? ""), 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }
}
