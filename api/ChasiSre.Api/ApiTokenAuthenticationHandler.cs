using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ChasiSre.Api;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the SHA-256 hashes of <see cref="ApiOptions.Tokens"/>:
/// the presented token is hashed once and compared with every configured hash in constant time, without stopping at
/// a match, so the time taken tells nothing about which hash or how much of it matched. Challenges answer 401 with
/// <c>WWW-Authenticate: Bearer</c> (RFC 6750) and a problem+json body; forbidden answers 403.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<ApiTokenAuthenticationOptions> options,
    IOptionsMonitor<ApiOptions> apiOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder) : AuthenticationHandler<ApiTokenAuthenticationOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string FailureKey = "chasi.auth.failure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.AsSpan(BearerPrefix.Length).Trim().IsEmpty)
        {
            return Task.FromResult(Fail("invalid_request", "the Authorization header is not 'Bearer <token>'"));
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(BearerPrefix.Length).Trim().ToString()));
        ApiTokenOptions? match = null;
        foreach (var token in apiOptions.CurrentValue.Tokens)
        {
            var expected = Convert.FromHexString(token.Sha256);
            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                match ??= token;
            }
        }

        if (match is null)
        {
            Log.TokenRejected(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", Request.Path);
            return Task.FromResult(Fail("invalid_token", "the bearer token is not one of the configured API tokens"));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name) };
        claims.AddRange(match.Tenants.Select(t => new Claim(ApiClaims.Tenant, t)));
        claims.AddRange(match.Roles.Append(ApiRoles.Viewer).Distinct(StringComparer.Ordinal).Select(r => new Claim(ApiClaims.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiClaims.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiClaims.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var (error, description) = Context.Items[FailureKey] is (string e, string d) ? (e, d) : ((string?)null, "this endpoint needs 'Authorization: Bearer <token>'");
        ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "unauthenticated"));
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, error is null
            ? $"Bearer realm=\"{Options.Realm}\""
            : $"Bearer realm=\"{Options.Realm}\", error=\"{error}\", error_description=\"{description}\"");
        await ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", description);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "the token may not use this endpoint");

    private AuthenticateResult Fail(string error, string description)
    {
        Context.Items[FailureKey] = (error, description);
        return AuthenticateResult.Fail(description);
    }
}
