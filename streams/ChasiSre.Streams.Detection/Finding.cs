using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// What a detector concluded about one subject. The correlator groups findings into incidents;
/// <see cref="Cause"/> says where the cause lives when it is not the subject (a host quota for a
/// virtual pod, a node for its pods).
/// </summary>
/// <param name="Detector">The detector's name, e.g. <c>pod.crashloop</c>.</param>
/// <param name="Category">Incident category.</param>
/// <param name="Subject">The object the finding is about.</param>
/// <param name="Severity">How bad.</param>
/// <param name="Reason">A short machine-friendly reason (<c>CrashLoopBackOff</c>, <c>FailedQuota</c>).</param>
/// <param name="Message">One human sentence.</param>
/// <param name="Evidence">Decisive facts, one line each (a status, an event with count, a log line), for the evidence pack.</param>
/// <param name="Cause">Where the cause lives when it is not the subject; null otherwise.</param>
public sealed record Finding(
    string Detector,
    IncidentCategory Category,
    ObjectRef Subject,
    Severity Severity,
    string Reason,
    string Message,
    IReadOnlyList<string> Evidence,
    ObjectRef? Cause = null)
{
    /// <summary>Extra key/value facts (container name, exit code, restart count ...).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Other objects involved (the pods of a workload finding, the twin of a virtual pod), for grouping.</summary>
    public IReadOnlyList<ObjectRef> Related { get; init; } = [];

    /// <summary>Identity for de-duplication: the same detector, subject and reason is the same finding.</summary>
    public string Key => $"{Detector}|{Subject.Cluster}/{Subject.Kind}/{Subject.Namespace}/{Subject.Name}|{Reason}";

    /// <summary>The wire form of this finding: a <see cref="Signal"/> with the given identity and times.</summary>
    public Signal ToSignal(string id, DateTimeOffset firstSeen, DateTimeOffset lastSeen, bool active)
    {
        var signal = new Signal
        {
            Id = id,
            Detector = Detector,
            Subject = Subject.Clone(),
            Severity = Severity,
            Reason = Reason,
            Message = Message,
            FirstSeen = Timestamp.FromDateTimeOffset(firstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(lastSeen),
            Score = 1,
            Active = active,
            Category = Category.ToString(),
        };
        if (Cause is { } cause)
        {
            signal.Cause = cause.Clone();
        }

        foreach (var line in Evidence)
        {
            signal.Evidence.Add(new EvidenceRef { Summary = line, At = Timestamp.FromDateTimeOffset(lastSeen) });
        }

        foreach (var (name, value) in Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            signal.Attributes[name] = value;
        }

        return signal;
    }
}
