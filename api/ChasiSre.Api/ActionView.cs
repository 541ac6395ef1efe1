namespace ChasiSre.Api;

/// <summary>
/// An action at the executor's latest step (its record with the highest sequence), with what its earlier steps
/// established: the policy's decision, rule and reasons, the dry-run diff; the decisions a person may request now and
/// the request the executor has not answered yet.
/// </summary>
/// <param name="Id">The action id (the key of <c>chasi.actions.v1</c>).</param>
/// <param name="Phase">
/// The latest phase, lowercase: <c>proposed</c>, <c>pending_approval</c>, <c>approved</c>, <c>rejected</c>, <c>denied</c>,
/// <c>executing</c>, <c>succeeded</c>, <c>failed</c>, <c>verified</c>, <c>not_verified</c>, <c>rollback_requested</c>,
/// <c>rolled_back</c>.
/// </param>
/// <param name="Action">The action name, e.g. <c>rollout-restart</c>.</param>
/// <param name="Decision">The policy's answer: <c>auto</c>, <c>approval</c> or <c>deny</c> (empty before the policy ran).</param>
/// <param name="Diff">Unified diff of the target between now and the server-side dry run, secrets redacted.</param>
/// <param name="Reversible">Whether the executor's catalog can undo the action (a rollback restores the target).</param>
/// <param name="Actor">
/// Who moved the action to its latest step: <c>executor</c>, <c>policy:&lt;rule&gt;</c>, or <c>user:&lt;token&gt;</c> when the
/// executor answered that person's request.
/// </param>
/// <param name="Reason">The latest step's reason (a person's, or the executor's).</param>
/// <param name="Output">The latest step's result output or error, redacted.</param>
/// <param name="Sequence">The latest step's sequence number (1, 2, …).</param>
/// <param name="Steps">How many steps the executor wrote (requests not counted).</param>
/// <param name="AllowedDecisions">
/// What a person may request now, by the executor's rules (<c>ActionTransitions.CheckRequest</c>): <c>approve</c> and
/// <c>reject</c> for a pending action, <c>rollback</c> for an executed reversible one; empty while a request waits.
/// </param>
/// <param name="PendingRequest">The oldest request the executor has not answered yet, or null.</param>
/// <param name="UpdatedAt">When the executor wrote the latest step.</param>
public sealed record ActionView(
    string Id,
    string IncidentId,
    long IncidentRevision,
    string Tenant,
    string Phase,
    string Action,
    string Title,
    string Description,
    ObjectRefView? Target,
    IReadOnlyDictionary<string, string> Parameters,
    string Risk,
    string Decision,
    string PolicyRule,
    IReadOnlyList<string> Reasons,
    string Diff,
    bool DryRun,
    bool Reversible,
    string Actor,
    string Reason,
    string Output,
    int Sequence,
    int Steps,
    IReadOnlyList<string> AllowedDecisions,
    ActionRequestView? PendingRequest,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
