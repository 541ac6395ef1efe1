namespace ChasiSre.Api;

/// <summary>One incident at its latest revision, as lists show it.</summary>
/// <param name="Id">The incident id (<c>inc-…</c>).</param>
/// <param name="Tenant">The tenant; empty for a platform-level incident.</param>
/// <param name="Tenants">Every tenant affected (for a scoped caller: only those in its scope).</param>
/// <param name="Layer">Where the cause lives: <c>host</c>, <c>virtual</c> or <c>business</c>.</param>
/// <param name="Severity"><c>info</c>, <c>warning</c>, <c>error</c> or <c>critical</c>.</param>
/// <param name="State"><c>open</c> or <c>resolved</c>.</param>
/// <param name="Revision">Bumped on every change of the incident.</param>
public sealed record IncidentSummary(
    string Id,
    string Tenant,
    IReadOnlyList<string> Tenants,
    string Title,
    string Summary,
    string Category,
    string Layer,
    string Severity,
    string State,
    ObjectRefView Subject,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    long Revision,
    long SignalCount);
