namespace ChasiSre.Api;

/// <summary>The calling token (<c>GET /api/v1/me</c>): its name, tenant scope (<c>*</c> for every tenant) and roles.</summary>
public sealed record TokenView(string Name, IReadOnlyList<string> Tenants, IReadOnlyList<string> Roles);
