namespace ChasiSre.Api;

/// <summary>An action at its latest step and its whole audit trail, oldest step first.</summary>
public sealed record ActionDetail(ActionView Action, IReadOnlyList<ActionStepView> Trail);
