using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary><c>GET /api/v1/incidents</c> and <c>GET /api/v1/incidents/{id}</c>.</summary>
internal static class IncidentEndpoints
{
    private const string Title = "Invalid incident query";
    private static readonly string[] Layers = ["HOST", "VIRTUAL", "BUSINESS"];
    private static readonly string[] States = ["OPEN", "RESOLVED"];
    private static readonly string[] Severities = ["INFO", "WARNING", "ERROR", "CRITICAL"];

    public static async Task<IResult> ListAsync(
        HttpContext context,
        ApiReadStore store,
        IOptions<ApiOptions> options,
        TimeProvider time,
        ILogger<ApiReadStore> logger,
        [FromQuery] string? tenant,
        [FromQuery] string? cluster,
        [FromQuery] string? layer,
        [FromQuery] string? category,
        [FromQuery] string? state,
        [FromQuery] string? severity,
        [FromQuery] string? since,
        [FromQuery] string? until,
        [FromQuery] string? limit,
        [FromQuery] string? cursor)
    {
        var errors = new QueryErrors();
        var now = time.GetUtcNow();
        var api = options.Value;
        tenant = errors.Tenant("tenant", tenant);
        if (cluster is not null && !ApiInput.IsClusterName(cluster))
        {
            errors.Add("cluster", $"'{cluster}' is not a cluster name");
            cluster = null;
        }

        var filter = new IncidentFilter(
            tenant,
            cluster,
            errors.OneOf("layer", layer, Layers),
            errors.OneOf("category", category, AlertCategories.Known),
            errors.OneOf("state", state, States),
            errors.OneOf("severity", severity, Severities),
            errors.Time("since", since, now),
            errors.Time("until", until, now),
            errors.Integer("limit", limit, api.DefaultPageSize, 1, api.MaxPageSize),
            Cursor(errors, cursor));
        if (errors.Any)
        {
            return ApiProblems.Invalid(Title, errors.All);
        }

        if (ScopeCheck.Refuse(context, logger, tenant) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(await store.ListIncidentsAsync(filter, ApiClaims.Scope(context.User), context.RequestAborted));
    }

    public static async Task<IResult> GetAsync(HttpContext context, ApiReadStore store, string id)
    {
        if (!ApiInput.IsIncidentId(id))
        {
            return ApiProblems.Invalid(Title, "id", $"'{id}' is not an incident id (letters, digits, '-', '_', '.', ':')");
        }

        return await store.GetIncidentAsync(id, ApiClaims.Scope(context.User), context.RequestAborted) is { } incident
            ? TypedResults.Ok(incident)
            : ApiProblems.NotFound($"no incident {id} visible to this token");
    }

    private static PageCursor? Cursor(QueryErrors errors, string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        if (!PageCursor.TryDecode(cursor, ApiInput.IsIncidentId, out var decoded))
        {
            errors.Add("cursor", "not a cursor this API returned (nextCursor of a previous page)");
        }

        return decoded;
    }
}
