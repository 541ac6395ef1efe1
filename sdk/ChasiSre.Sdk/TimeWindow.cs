namespace ChasiSre.Sdk;

/// <summary>A half-open time interval [<see cref="From"/>, <see cref="To"/>).</summary>
public readonly record struct TimeWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>True when <paramref name="at"/> lies in the window.</summary>
    public bool Contains(DateTimeOffset at) => at >= From && at < To;
}
