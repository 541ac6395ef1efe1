using Microsoft.AspNetCore.Authentication;

namespace ChasiSre.Api;

/// <summary>Options of the <see cref="ApiClaims.Scheme"/> scheme: the tokens come from <see cref="ApiOptions.Tokens"/>.</summary>
internal sealed class ApiTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = "chasi";
}
