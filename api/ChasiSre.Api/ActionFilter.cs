namespace ChasiSre.Api;

/// <summary>The filters of <c>GET /api/v1/actions</c>; <see cref="Phase"/> is the stored name (<c>PENDING_APPROVAL</c>) and applies to the latest step.</summary>
internal sealed record ActionFilter(string? Tenant, string? IncidentId, string? Phase, string? Action, int Limit, PageCursor? Cursor);
