using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary><c>GET /api/v1/actions/proposals</c>: read-only; approval and execution come with the executor.</summary>
internal static class ProposalEndpoints
{
    private const string Title = "Invalid proposal query";

    public static async Task<IResult> ListAsync(
        HttpContext context,
        ApiReadStore store,
        IOptions<ApiOptions> options,
        ILogger<ApiReadStore> logger,
        [FromQuery] string? tenant,
        [FromQuery] string? incident,
        [FromQuery] string? action,
        [FromQuery] string? limit,
        [FromQuery] string? offset)
    {
        var errors = new QueryErrors();
        var api = options.Value;
        tenant = errors.Tenant("tenant", tenant);
        if (incident is not null && !ApiInput.IsIncidentId(incident))
        {
            errors.Add("incident", $"'{incident}' is not an incident id");
        }

        if (action is not null && !ApiInput.IsActionName(action))
        {
            errors.Add("action", $"'{action}' is not an action name (lowercase letters, digits, '-')");
        }

        var filter = new ProposalFilter(
            tenant, incident, action, errors.Integer("limit", limit, api.DefaultPageSize, 1, api.MaxPageSize), errors.Integer("offset", offset, 0, 0, 1_000_000));
        if (errors.Any)
        {
            return ApiProblems.Invalid(Title, errors.All);
        }

        if (ScopeCheck.Refuse(context, logger, tenant) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(await store.ListProposalsAsync(filter, ApiClaims.Scope(context.User), context.RequestAborted));
    }
}
