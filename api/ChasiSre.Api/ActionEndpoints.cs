using System.Text;
using System.Text.Json;
using ChasiSre.Executor;
using ChasiSre.Schemas;
using Confluent.Kafka;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>
/// <c>GET /api/v1/actions</c>, <c>GET /api/v1/actions/{id}</c> and <c>POST /api/v1/actions/{id}/approve|reject|rollback</c>:
/// the executor's audited actions as the sink stored them, and people's decisions on them, published to
/// <c>chasi.actions.v1</c> as requests (sequence 0) the executor answers.
/// </summary>
internal static class ActionEndpoints
{
    /// <summary>Largest reason of a decision, in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 1024;

    /// <summary>Largest decision body: the reason, JSON-escaped, with room to spare.</summary>
    public const int MaxDecisionBodyBytes = 8 * 1024;

    private const string Title = "Invalid action query";

    public static async Task<IResult> ListAsync(
        HttpContext context,
        ActionStore store,
        ActionDecisionService decisions,
        IOptions<ApiOptions> options,
        ILogger<ActionStore> logger,
        [FromQuery] string? tenant,
        [FromQuery] string? incident,
        [FromQuery] string? phase,
        [FromQuery] string? action,
        [FromQuery] string? limit,
        [FromQuery] string? cursor)
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

        string? storedPhase = null;
        if (phase is not null)
        {
            if (ActionPhases.TryParse(phase, out var parsed))
            {
                storedPhase = ActionPhases.Stored(parsed);
            }
            else
            {
                errors.Add("phase", $"'{phase}' is not one of {string.Join(", ", ActionPhases.ApiNames)}");
            }
        }

        PageCursor? decoded = null;
        if (cursor is not null && !PageCursor.TryDecode(cursor, ApiInput.IsActionId, out decoded))
        {
            errors.Add("cursor", "not a cursor this API returned (nextCursor of a previous page)");
        }

        var filter = new ActionFilter(tenant, incident, storedPhase, action, errors.Integer("limit", limit, api.DefaultPageSize, 1, api.MaxPageSize), decoded);
        if (errors.Any)
        {
            return ApiProblems.Invalid(Title, errors.All);
        }

        if (ScopeCheck.Refuse(context, logger, tenant) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(await store.ListAsync(filter, ApiClaims.Scope(context.User), decisions.Overlay, context.RequestAborted));
    }

    public static async Task<IResult> GetAsync(HttpContext context, ActionStore store, ActionDecisionService decisions, string id)
    {
        if (!ApiInput.IsActionId(id))
        {
            return InvalidId(id);
        }

        return await store.GetAsync(id, ApiClaims.Scope(context.User), context.RequestAborted) is { } trail
            ? TypedResults.Ok(ActionViews.Detail(decisions.Overlay(trail)))
            : ApiProblems.NotFound($"no action {id} visible to this token");
    }

    public static Task<IResult> ApproveAsync(HttpContext context, ActionDecisionService decisions, ILogger<ActionDecisionService> logger, string id) =>
        DecideAsync(context, decisions, logger, id, HumanDecision.Approve);

    public static Task<IResult> RejectAsync(HttpContext context, ActionDecisionService decisions, ILogger<ActionDecisionService> logger, string id) =>
        DecideAsync(context, decisions, logger, id, HumanDecision.Reject);

    public static Task<IResult> RollbackAsync(HttpContext context, ActionDecisionService decisions, ILogger<ActionDecisionService> logger, string id) =>
        DecideAsync(context, decisions, logger, id, HumanDecision.Rollback);

    private static async Task<IResult> DecideAsync(HttpContext context, ActionDecisionService decisions, ILogger logger, string id, HumanDecision kind)
    {
        var token = ScopeCheck.TokenName(context.User);
        if (!ApiInput.IsActionId(id))
        {
            return InvalidId(id);
        }

        if (!ApiClaims.IsApprover(context.User))
        {
            Log.NotApprover(logger, token, context.Request.Path);
            ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "not_approver"));
            return ApiProblems.Forbidden($"token '{token}' may not decide on actions: it needs the role '{ApiRoles.Approver}' (Api:Tokens:N:Roles)");
        }

        var (reason, problem) = await ReadReasonAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        ActionDecisionOutcome outcome;
        try
        {
            outcome = await decisions.DecideAsync(id, kind, token, reason, ApiClaims.Scope(context.User), context.RequestAborted);
        }
        catch (KafkaException e)
        {
            Log.ActionDecisionPublishFailed(logger, e, ActionPhases.Api(ActionTransitions.PhaseOf(kind)), id, TopicCatalog.Actions.Name);
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", $"Kafka did not acknowledge the decision: {e.Error.Reason}; retry");
        }

        return outcome switch
        {
            ActionDecisionOutcome.Accepted accepted => TypedResults.Accepted($"/api/v1/actions/{id}", accepted.Response),
            ActionDecisionOutcome.Conflict conflict => TypedResults.Problem(
                detail: conflict.Detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["phase"] = conflict.Phase, ["pendingRequest"] = conflict.PendingRequest }),
            ActionDecisionOutcome.PlatformAction => ApiProblems.Forbidden($"action {id} is a platform action (no tenant): only a token for every tenant ('*') may decide on it"),
            ActionDecisionOutcome.NotFound => ApiProblems.NotFound($"no action {id} visible to this token"),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}."),
        };
    }

    /// <summary>The optional reason of a decision body (<c>{"reason": "..."}</c>), or the problem with the body.</summary>
    private static async Task<(string Reason, IResult? Problem)> ReadReasonAsync(HttpContext context)
    {
        var body = await RequestBodies.ReadAsync(context, MaxDecisionBodyBytes);
        if (body is null)
        {
            ApiTelemetry.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "too_large"));
            return ("", ApiProblems.TooLarge(MaxDecisionBodyBytes));
        }

        if (body.Length == 0)
        {
            return ("", null);
        }

        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ("", ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"Content-Type '{contentType}' is not application/json"));
        }

        ActionDecisionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ActionDecisionRequest);
        }
        catch (JsonException e)
        {
            return ("", ApiProblems.Invalid("Invalid decision", "body", $"not a JSON object {{\"reason\": \"...\"}}: {e.Message}"));
        }

        var reason = request?.Reason?.Trim() ?? "";
        if (Encoding.UTF8.GetByteCount(reason) > MaxReasonBytes)
        {
            return ("", ApiProblems.Invalid("Invalid decision", "reason", $"longer than {MaxReasonBytes} bytes of UTF-8"));
        }

        return (reason, null);
    }

    private static IResult InvalidId(string id) =>
        ApiProblems.Invalid(Title, "id", $"'{id}' is not an action id (letters, digits, '-', '_', '.', ':', '@')");
}
