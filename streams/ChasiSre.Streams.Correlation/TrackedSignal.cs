using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation;

/// <summary>One signal of an incident: the latest finding for a detector, subject and category.</summary>
internal sealed class TrackedSignal(string key, Finding finding, string workloadKey, DateTimeOffset firstSeen)
{
    /// <summary>Record key of the workload the subject belongs to.</summary>
    public string WorkloadKey { get; private set; } = workloadKey;

    public string Key { get; } = key;

    public string Id { get; } = IncidentIds.Signal(key, firstSeen);

    public Finding Finding { get; private set; } = finding;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    public DateTimeOffset LastSeen { get; private set; } = firstSeen;

    /// <summary>When it was added, changed, cleared or came back (orders the bounded list).</summary>
    public DateTimeOffset LastChange { get; private set; } = firstSeen;

    public bool Active { get; private set; } = true;

    /// <summary>Records the finding again; true when it was inactive.</summary>
    public bool Report(Finding finding, string workloadKey, DateTimeOffset now)
    {
        WorkloadKey = workloadKey;
        var reactivated = !Active;
        if (reactivated || finding.Severity != Finding.Severity || finding.Reason != Finding.Reason)
        {
            LastChange = now;
        }

        Finding = finding;
        LastSeen = now;
        Active = true;
        return reactivated;
    }

    public void Clear(DateTimeOffset now)
    {
        Active = false;
        LastChange = now;
    }

    /// <summary>The material part: what a consumer must see at once when it changes.</summary>
    public string Kind => $"{Finding.Detector}:{Finding.Category}";

    public Signal ToProto() => Finding.ToSignal(Id, FirstSeen, LastSeen, Active);
}
