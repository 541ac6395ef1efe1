namespace ChasiSre.Api;

/// <summary>
/// One entry of an action's audit trail: one <c>ActionRecord</c> of <c>chasi.actions.v1</c> as stored. Either a step the
/// executor wrote (<paramref name="Kind"/> <c>step</c>, sequence 1, 2, …) or a person's request (<c>request</c>,
/// sequence 0), which the executor answers with a step of its own.
/// </summary>
/// <param name="Kind"><c>step</c> or <c>request</c>.</param>
/// <param name="Phase">The step's phase, or the phase a request asks for, lowercase (<see cref="ActionView.Phase"/>).</param>
/// <param name="Actor"><c>user:&lt;token&gt;</c>, <c>policy:&lt;rule&gt;</c>, <c>executor</c>.</param>
/// <param name="Pending">For a request: the executor has not answered it yet.</param>
/// <param name="Reversible">Whether this step recorded a rollback state.</param>
public sealed record ActionStepView(
    string Kind,
    int Sequence,
    string Phase,
    string Actor,
    string Reason,
    string Output,
    bool DryRun,
    string Decision,
    string PolicyRule,
    IReadOnlyList<string> Reasons,
    string Diff,
    bool Reversible,
    bool Pending,
    DateTimeOffset At);
