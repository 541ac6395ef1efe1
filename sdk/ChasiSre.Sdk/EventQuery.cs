namespace ChasiSre.Sdk;

/// <summary>An event query: events in <paramref name="Window"/> of the given types (every type when empty), newest first, at most <paramref name="Limit"/>.</summary>
public sealed record EventQuery(TimeWindow Window, IReadOnlyList<BusinessEventType> Types, int Limit)
{
    /// <summary>True when <paramref name="type"/> is requested.</summary>
    public bool Includes(BusinessEventType type) => Types.Count == 0 || Types.Contains(type);
}
