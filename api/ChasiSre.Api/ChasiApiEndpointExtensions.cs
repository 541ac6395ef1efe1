using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChasiSre.Api;

/// <summary>Maps the HTTP API.</summary>
public static class ChasiApiEndpointExtensions
{
    private const string MappedKey = "chasi.api.mapped";

    /// <summary>
    /// Adds the authentication, rate limiter and authorization middleware (in that order, so calls without a valid
    /// token are rate-limited per address before they are refused) and maps <c>/openapi/v1.json</c> (anonymous) and the
    /// <c>/api/v1</c> endpoints (token, rate limit, problem+json errors). Needs <c>services.AddChasiApi(configuration)</c>.
    /// Idempotent. Health endpoints stay the host's (<c>MapHealthEndpoints()</c>) and anonymous.
    /// </summary>
    public static WebApplication MapChasiApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (((IApplicationBuilder)app).Properties.ContainsKey(MappedKey))
        {
            return app;
        }

        ((IApplicationBuilder)app).Properties[MappedKey] = true;
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi();

        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ChasiApiServiceCollectionExtensions.AuthorizationPolicy)
            .RequireRateLimiting(ApiRateLimitPolicy.Name)
            .AddEndpointFilter<ApiErrorFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("incidents", IncidentEndpoints.ListAsync)
            .WithName("ListIncidents")
            .WithTags("incidents")
            .WithSummary("Incidents at their latest revision, newest opened first")
            .WithDescription("Filters: tenant, cluster (the subject's or its host cluster), layer (host|virtual|business), category, state (open|resolved), " +
                "severity, since/until (opening time; RFC 3339 or a duration before now such as 2h), limit (capped), cursor (nextCursor of the previous page).")
            .Produces<IncidentPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("incidents/{id}", IncidentEndpoints.GetAsync)
            .WithName("GetIncident")
            .WithTags("incidents")
            .WithSummary("One incident with its affected objects, recent signals and latest diagnosis")
            .Produces<IncidentDetail>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("diagnoses/{incidentId}", DiagnosisEndpoints.GetAsync)
            .WithName("GetDiagnosis")
            .WithTags("diagnoses")
            .WithSummary("The latest diagnosis of an incident")
            .Produces<DiagnosisView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("knowledge/search", KnowledgeEndpoints.SearchAsync)
            .WithName("SearchKnowledge")
            .WithTags("knowledge")
            .WithSummary("Hybrid (BM25 + vector) search of the knowledge base: shared documents and the tenant's private ones")
            .Produces<KnowledgeSearchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("actions/proposals", ProposalEndpoints.ListAsync)
            .WithName("ListActionProposals")
            .WithTags("actions")
            .WithSummary("Actions the stored diagnoses propose (read-only; approval comes with the executor)")
            .Produces<ProposalPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("alerts/alertmanager", AlertmanagerEndpoints.ReceiveAsync)
            .WithName("ReceiveAlertmanagerWebhook")
            .WithTags("alerts")
            .WithSummary("Alertmanager webhook (payload version 4): every alert becomes a signal on chasi.alerts.v1")
            .WithDescription("All or nothing: a body with any invalid part gets 400 naming the fields, an alert for a tenant outside the token's scope 403, " +
                "a body over the limit 413; nothing is published then. 503 when Kafka did not acknowledge (Alertmanager retries).")
            .WithMetadata(new OpenApiRequestBodyMetadata(typeof(AlertmanagerWebhook), "Alertmanager's webhook body, payload version 4"))
            .Produces<AlertIntakeResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }
}
