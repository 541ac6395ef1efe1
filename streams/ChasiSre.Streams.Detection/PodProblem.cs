using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>What a pod detector sees wrong with one pod; <see cref="PodFindings"/> groups these per workload.</summary>
/// <param name="Category">Incident category.</param>
/// <param name="Severity">How bad, for this pod.</param>
/// <param name="Reason">Grouping reason (pods of one workload with the same reason make one finding).</param>
/// <param name="Summary">What is wrong, a sentence fragment (<c>container app in CrashLoopBackOff, last exit 1</c>).</param>
/// <param name="Evidence">The pod's decisive lines (status, events, logs).</param>
/// <param name="Cause">Where the cause lives when it is not the workload (the node of an eviction).</param>
internal sealed record PodProblem(
    IncidentCategory Category,
    Severity Severity,
    string Reason,
    string Summary,
    IReadOnlyList<string> Evidence,
    ObjectRef? Cause = null)
{
    public Dictionary<string, string> Attributes { get; init; } = new(StringComparer.Ordinal);
}
