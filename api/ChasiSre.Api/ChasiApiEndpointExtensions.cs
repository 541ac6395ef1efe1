using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>Maps the HTTP API.</summary>
public static class ChasiApiEndpointExtensions
{
    private const string MappedKey = "chasi.api.mapped";

    /// <summary>
    /// Adds the authentication, rate limiter and authorization middleware (in that order, so calls without a valid
    /// token are rate-limited per address before they are refused) and maps <c>/openapi/v1.json</c> (anonymous) and the
    /// <c>/api/v1</c> endpoints (token, rate limit, problem+json errors), and the web view under <c>/ui/</c> (anonymous static files; unless <see cref="ApiOptions.WebView"/> is off). Needs <c>services.AddChasiApi(configuration)</c>.
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
            .WithSummary("Actions the stored diagnoses propose (read-only; the executor turns them into audited actions)")
            .Produces<ProposalPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("actions", ActionEndpoints.ListAsync)
            .WithName("ListActions")
            .WithTags("actions")
            .WithSummary("The executor's actions at their latest step, newest created first")
            .WithDescription("Each action's latest state (the executor's step with the highest sequence) with its policy decision, rule, reasons and dry-run diff, " +
                "the decisions a person may request now (allowedDecisions) and the request that waits for the executor (pendingRequest). " +
                "Filters: tenant, incident, phase (of the latest step: pending_approval, approved, succeeded, ...), action (rollout-restart, ...), " +
                "limit (capped), cursor (nextCursor of the previous page).")
            .Produces<ActionPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("actions/{id}", ActionEndpoints.GetAsync)
            .WithName("GetAction")
            .WithTags("actions")
            .WithSummary("One action and its audit trail: the executor's steps and people's requests (kind step or request), oldest first")
            .Produces<ActionDetail>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        MapDecision(api, "approve", ActionEndpoints.ApproveAsync, "ApproveAction", "Approve a pending action (phase pending_approval) for the executor to run");
        MapDecision(api, "reject", ActionEndpoints.RejectAsync, "RejectAction", "Reject a pending action (phase pending_approval)");
        MapDecision(api, "rollback", ActionEndpoints.RollbackAsync, "RollbackAction", "Ask the executor to roll back an executed reversible action (succeeded or verified)");

        api.MapGet("me", TokenEndpoints.Get)
            .WithName("GetToken")
            .WithTags("tokens")
            .WithSummary("The calling token: name, tenant scope and roles")
            .Produces<TokenView>();

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

        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.WebView)
        {
            UiEndpoints.Map(app);
        }

        return app;
    }

    private static void MapDecision(RouteGroupBuilder api, string verb, Delegate handler, string name, string summary) =>
        api.MapPost($"actions/{{id}}/{verb}", handler)
            .WithName(name)
            .WithTags("actions")
            .WithSummary(summary)
            .WithDescription("Needs a token with the role 'approver' (else 403). Publishes a request for the executor to chasi.actions.v1 " +
                "(an ActionRecord with sequence 0, actor user:<token name>, the optional reason) and answers 202 once Kafka acknowledged it; the executor " +
                "answers with its own step in the trail. A repeated request of the same token answers the first one again and publishes nothing. " +
                "404 for an action outside the token's scope, 409 (naming the current phase, and pendingRequest) when the executor's rules do not allow " +
                "it now or another request waits for the executor, 503 when Kafka did not acknowledge.")
            .WithMetadata(new OpenApiRequestBodyMetadata(typeof(ActionDecisionRequest), "Optional: {\"reason\": \"...\"}, at most 1 KiB of UTF-8", Required: false))
            .Produces<ActionDecisionResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
