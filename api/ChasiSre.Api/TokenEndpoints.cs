using Microsoft.AspNetCore.Http;

namespace ChasiSre.Api;

/// <summary><c>GET /api/v1/me</c>: who the calling token is, so a client (the web view) knows what to offer.</summary>
internal static class TokenEndpoints
{
    public static IResult Get(HttpContext context)
    {
        var scope = ApiClaims.Scope(context.User);
        return TypedResults.Ok(new TokenView(
            ScopeCheck.TokenName(context.User),
            scope.Tenants is { } tenants ? [.. tenants.Order(StringComparer.Ordinal)] : [TenantScope.Wildcard],
            ApiClaims.Roles(context.User)));
    }
}
