namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// Counters of a running detection topology, shared by its tasks: how far it got. Used by health checks, by
/// <c>chasi scenario run</c> to know when a replay step has been judged, and by <c>chasi bench streams</c>.
/// </summary>
public sealed class DetectionProgress
{
    private long records;
    private long flushes;
    private long incidents;
    private long signals;
    private long deadLettered;
    private long flushRequests;

    /// <summary>Detection input records applied to a fleet's state.</summary>
    public long Records => Interlocked.Read(ref records);

    /// <summary>Flushes completed (marked objects judged, lifecycles advanced) by tasks that hold a fleet, over all tasks.</summary>
    public long Flushes => Interlocked.Read(ref flushes);

    /// <summary>Incident records forwarded to the incidents topic.</summary>
    public long Incidents => Interlocked.Read(ref incidents);

    /// <summary>Signal records forwarded to the signals topic.</summary>
    public long Signals => Interlocked.Read(ref signals);

    /// <summary>Records sent to the dead-letter topic (unreadable input).</summary>
    public long DeadLettered => Interlocked.Read(ref deadLettered);

    /// <summary>Flushes asked for with <see cref="RequestFlush"/>.</summary>
    public long FlushRequests => Interlocked.Read(ref flushRequests);

    /// <summary>
    /// Asks for one flush when the runtime flushes only on request (<see cref="DetectionRuntime.FlushOnRequest"/>):
    /// a replay applies one instant's records, waits until <see cref="Records"/> has them all, then requests a flush
    /// so the detectors judge the instant as a whole. Returns the request's number; <see cref="Flushes"/> reaches it
    /// once a task has flushed.
    /// </summary>
    public long RequestFlush() => Interlocked.Increment(ref flushRequests);

    internal void Applied() => Interlocked.Increment(ref records);

    internal void Flushed() => Interlocked.Increment(ref flushes);

    internal void Published(int incidentCount, int signalCount)
    {
        Interlocked.Add(ref incidents, incidentCount);
        Interlocked.Add(ref signals, signalCount);
    }

    internal void Rejected() => Interlocked.Increment(ref deadLettered);
}
