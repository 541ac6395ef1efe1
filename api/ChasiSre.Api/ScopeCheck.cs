using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Api;

/// <summary>The 403 of a request naming a tenant outside the caller's scope.</summary>
internal static class ScopeCheck
{
    /// <summary>Null when <paramref name="tenant"/> is absent or in scope, else the 403 (logged and counted).</summary>
    public static IResult? Refuse(HttpContext context, ILogger logger, string? tenant)
    {
        var scope = ApiClaims.Scope(context.User);
        if (tenant is null || scope.Allows(tenant))
        {
            return null;
        }

        Log.OutOfScope(logger, TokenName(context.User), tenant, context.Request.Path);
        ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "out_of_scope"));
        return ApiProblems.Forbidden($"tenant '{tenant}' is outside the scope of this token");
    }

    public static string TokenName(ClaimsPrincipal user) => ApiClaims.TokenName(user) ?? "anonymous";
}
