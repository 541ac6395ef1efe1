namespace ChasiSre.Ingest.Scenarios;

/// <summary>
/// The virtual clock of a replay: it reads the scenario's start time plus the offset the replay
/// has reached, so objects the simulators stamp (creation times, event times) carry scenario
/// time, however fast the replay runs. Timers and delays still use real time.
/// </summary>
public sealed class ScenarioClock : TimeProvider
{
    private readonly DateTimeOffset start;
    private long offsetTicks;

    /// <summary>Creates a clock at t=0.</summary>
    public ScenarioClock(DateTimeOffset start) => this.start = start;

    /// <summary>The offset from the start the replay has reached.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => start + Offset;

    /// <summary>Moves the clock to <paramref name="offset"/> (never backwards).</summary>
    public void AdvanceTo(TimeSpan offset)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref offsetTicks);
            if (offset.Ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref offsetTicks, offset.Ticks, current) != current);
    }
}
