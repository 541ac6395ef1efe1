using System.Diagnostics;

namespace ChasiSre.Sdk;

/// <summary>What the caller's thread puts in the queue: the caller's record, its time and trace. A struct: no allocation per record.</summary>
internal readonly struct PendingRecord(object payload, DateTimeOffset at, Activity? activity)
{
    public object Payload { get; } = payload;

    public DateTimeOffset At { get; } = at;

    public Activity? Activity { get; } = activity;
}
