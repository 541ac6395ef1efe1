namespace ChasiSre.Api;

/// <summary>
/// An action at its latest step (the record with the highest sequence), with what its earlier steps established: the
/// policy's decision, rule and reasons, the dry-run diff, whether it can be rolled back.
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
/// <param name="Reversible">Whether a step recorded a rollback state, so a rollback can restore the target.</param>
/// <param name="Actor">Who wrote the latest step: <c>user:&lt;token&gt;</c>, <c>policy:&lt;rule&gt;</c>, <c>executor</c>.</param>
/// <param name="Reason">The latest step's reason (a person's, or the executor's).</param>
/// <param name="Output">The latest step's result output or error, redacted.</param>
/// <param name="Sequence">The latest step's sequence number (1, 2, …).</param>
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
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
