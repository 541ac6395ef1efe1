namespace ChasiSre.Api;

/// <summary>The validated filters of <c>GET /api/v1/actions/proposals</c>.</summary>
internal sealed record ProposalFilter(string? Tenant, string? IncidentId, string? Action, int Limit, int Offset);
