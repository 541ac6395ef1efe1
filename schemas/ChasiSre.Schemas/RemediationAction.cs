using ChasiSre.Schemas.V1;

namespace ChasiSre.Schemas;

/// <summary>One action of the <see cref="RemediationCatalog"/>: what a diagnosis may propose for the executor.</summary>
/// <param name="Name">The machine-readable name (<c>rollout-restart</c>), as <see cref="Remediation.Action"/> carries it.</param>
/// <param name="TargetKinds">Kinds of object it applies to.</param>
/// <param name="MinimumRisk">The least risk it is proposed with; a model may raise it, never lower it.</param>
/// <param name="Parameters">Parameter names it takes (all strings on the wire).</param>
/// <param name="Description">What it does, for the prompt and for humans.</param>
public sealed record RemediationAction(string Name, IReadOnlyList<string> TargetKinds, Risk MinimumRisk, IReadOnlyList<string> Parameters, string Description);
