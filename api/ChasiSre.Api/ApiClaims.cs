using System.Security.Claims;

namespace ChasiSre.Api;

/// <summary>The authentication scheme of the API and the claims its tokens carry.</summary>
public static class ApiClaims
{
    /// <summary>The authentication scheme name (bearer tokens checked against <see cref="ApiOptions.Tokens"/>).</summary>
    public const string Scheme = "ChasiToken";

    /// <summary>One claim per tenant of the token's scope (<c>*</c> for every tenant).</summary>
    public const string Tenant = "chasi:tenant";

    /// <summary>One claim per role of the token (<see cref="ApiRoles"/>); every token has at least <c>viewer</c>.</summary>
    public const string Role = "chasi:role";

    /// <summary>The name of the token that authenticated the request (<see cref="ApiTokenOptions.Name"/>).</summary>
    public static string? TokenName(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? user.FindFirst(ClaimTypes.Name)?.Value : null;
    }

    /// <summary>The tenant scope of an authenticated caller; nothing visible for anyone else.</summary>
    public static TenantScope Scope(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            ? TenantScope.Of(user.FindAll(Tenant).Select(c => c.Value))
            : TenantScope.Of([]);
    }

    /// <summary>The roles of an authenticated caller (<c>viewer</c> at least); none for anyone else.</summary>
    public static IReadOnlyList<string> Roles(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? [.. user.FindAll(Role).Select(c => c.Value).Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>Whether the caller may approve, reject and roll back actions (role <c>approver</c>).</summary>
    public static bool IsApprover(ClaimsPrincipal user) => Roles(user).Contains(ApiRoles.Approver, StringComparer.Ordinal);
}
