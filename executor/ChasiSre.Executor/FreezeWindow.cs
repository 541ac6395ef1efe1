using Cronos;

namespace ChasiSre.Executor;

/// <summary>
/// A change freeze: while it is active, actions it <see cref="Match"/>es are capped at <see cref="Decision"/>
/// (<see cref="ActionDecision.Deny"/> by default; <see cref="ActionDecision.Approval"/> lets humans still act).
/// Either recurring — a cron <see cref="Schedule"/> in <see cref="TimeZone"/> opens it for <see cref="Duration"/>
/// (elapsed time) — or absolute, from <see cref="Start"/> to <see cref="End"/>.
/// </summary>
public sealed record FreezeWindow
{
    public required string Name { get; init; }

    /// <summary>A five-field cron expression (or <c>@daily</c>, <c>@weekly</c>, ...) for when a recurring window opens.</summary>
    public CronExpression? Schedule { get; init; }

    /// <summary>How long a recurring window stays open, in elapsed time (a DST change does not stretch or shrink it).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The instant an absolute window opens (inclusive).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The instant an absolute window closes (exclusive).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>The zone <see cref="Schedule"/> is read in (absolute windows are resolved when loaded).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public PolicyMatch Match { get; init; } = PolicyMatch.Any;

    public ActionDecision Decision { get; init; } = ActionDecision.Deny;

    public string Source { get; init; } = "";

    /// <summary>True when the window is open at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now)
    {
        if (Schedule is { } schedule && Duration is { } duration)
        {
            // Open at now when the schedule fired in (now - duration, now]: look for the first firing after now - duration.
            var opened = schedule.GetNextOccurrence(now.ToUniversalTime() - duration, TimeZone, inclusive: false);
            return opened is { } o && o <= now;
        }

        return Start is { } start && End is { } end && now >= start && now < end;
    }
}
