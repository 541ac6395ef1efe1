using ChasiSre.Diagnosis.Knowledge;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>
/// <c>GET /api/v1/knowledge/search?q=&amp;tenant=&amp;k=</c>: shared documents plus the private ones of <c>tenant</c>.
/// Without <c>tenant</c>, a token scoped to one tenant searches that tenant's; any other caller shared documents only.
/// </summary>
internal static class KnowledgeEndpoints
{
    private const string Title = "Invalid knowledge query";
    private const int MaxQueryChars = 2000;

    public static async Task<IResult> SearchAsync(
        HttpContext context,
        KnowledgeBaseProvider knowledge,
        IOptions<ApiOptions> options,
        ILogger<ApiReadStore> logger,
        [FromQuery] string? q,
        [FromQuery] string? tenant,
        [FromQuery] string? k)
    {
        var errors = new QueryErrors();
        if (string.IsNullOrWhiteSpace(q))
        {
            errors.Add("q", "required: what to look for (an error message, a symptom, a question)");
        }
        else if (q.Length > MaxQueryChars)
        {
            errors.Add("q", $"longer than {MaxQueryChars} characters");
        }

        tenant = errors.Tenant("tenant", tenant);
        if (tenant == KnowledgeScope.SharedTenant)
        {
            errors.Add("tenant", $"'{KnowledgeScope.SharedTenant}' is reserved for platform documents; leave tenant out to search them");
        }

        var top = errors.Integer("k", k, 5, 1, options.Value.MaxKnowledgeResults);
        if (errors.Any)
        {
            return ApiProblems.Invalid(Title, errors.All);
        }

        if (ScopeCheck.Refuse(context, logger, tenant) is { } refused)
        {
            return refused;
        }

        var asking = tenant ?? ApiClaims.Scope(context.User).SingleTenant;
        var kb = await knowledge.GetAsync(context.RequestAborted);
        var hits = await kb.SearchAsync(new KnowledgeQuery(q!, asking, top), context.RequestAborted);
        return TypedResults.Ok(new KnowledgeSearchResponse(q!, asking, [.. hits.Select(h => new KnowledgeHitView(
            h.Citation, h.Chunk.SourceId, h.Chunk.HeadingPath, h.Chunk.Text, h.Chunk.Tenant, h.Chunk.Categories, h.Chunk.Language, h.Score))]));
    }
}
