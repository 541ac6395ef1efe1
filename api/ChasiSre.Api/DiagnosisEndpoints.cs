using Microsoft.AspNetCore.Http;

namespace ChasiSre.Api;

/// <summary><c>GET /api/v1/diagnoses/{incidentId}</c>.</summary>
internal static class DiagnosisEndpoints
{
    public static async Task<IResult> GetAsync(HttpContext context, ApiReadStore store, string incidentId)
    {
        if (!ApiInput.IsIncidentId(incidentId))
        {
            return ApiProblems.Invalid("Invalid diagnosis query", "incidentId", $"'{incidentId}' is not an incident id (letters, digits, '-', '_', '.', ':')");
        }

        var scope = ApiClaims.Scope(context.User);
        return await store.GetDiagnosisAsync(incidentId, scope, context.RequestAborted) is { } diagnosis
            ? TypedResults.Ok(ProtoViews.Diagnosis(diagnosis, scope))
            : ApiProblems.NotFound($"no diagnosis of incident {incidentId} visible to this token");
    }
}
