namespace ChasiSre.Api;

/// <summary>The validated filters of <c>GET /api/v1/incidents</c>; column values as stored (upper-case layer, state, severity).</summary>
internal sealed record IncidentFilter(
    string? Tenant,
    string? Cluster,
    string? Layer,
    string? Category,
    string? State,
    string? Severity,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit,
    PageCursor? Cursor);
