using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// What the executor keeps of an incident: its latest revision, state and change time, and the clusters and tenants it
/// spans.
/// </summary>
internal sealed record IncidentView(string Id, long Revision, IncidentState State, DateTimeOffset UpdatedAt, string Tenant, string SubjectCluster, IReadOnlySet<string> Clusters, IReadOnlySet<string> Tenants)
{
    /// <summary>The view of <paramref name="incident"/>; <paramref name="seen"/> stands in for a missing <c>updated_at</c>.</summary>
    public static IncidentView From(Incident incident, DateTimeOffset seen)
    {
        var clusters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in new[] { incident.Subject }.Concat(incident.Affected).Where(r => r is not null))
        {
            clusters.Add(reference.Cluster);
            if (reference.Twin is { } twin)
            {
                clusters.Add(twin.Cluster);
            }
        }

        clusters.Remove("");
        var tenants = new HashSet<string>(incident.Tenants, StringComparer.Ordinal) { incident.Tenant };
        return new IncidentView(incident.Id, incident.Revision, incident.State, incident.UpdatedAt?.ToDateTimeOffset() ?? seen, incident.Tenant, incident.Subject?.Cluster ?? "", clusters, tenants);
    }

    /// <summary>
    /// The scope the policy checks the target against: the target's own cluster and tenant when the incident spans
    /// them (a host incident about a vCluster object spans both clusters), else the incident's subject cluster and tenant
    /// (so the policy denies with <c>outside-incident</c>).
    /// </summary>
    public IncidentScope ScopeFor(ObjectRef target) => new(
        Id,
        Clusters.Contains(target.Cluster) ? target.Cluster : SubjectCluster,
        Tenants.Contains(target.Tenant) ? target.Tenant : Tenant);
}
