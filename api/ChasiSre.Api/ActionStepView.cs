namespace ChasiSre.Api;

/// <summary>One step of an action's audit trail: one <c>ActionRecord</c> of <c>chasi.actions.v1</c> as stored.</summary>
/// <param name="Phase">The step's phase, lowercase (<see cref="ActionView.Phase"/>).</param>
/// <param name="Actor"><c>user:&lt;token&gt;</c>, <c>policy:&lt;rule&gt;</c>, <c>executor</c>.</param>
/// <param name="Reversible">Whether this step recorded a rollback state.</param>
public sealed record ActionStepView(
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
    DateTimeOffset At);
