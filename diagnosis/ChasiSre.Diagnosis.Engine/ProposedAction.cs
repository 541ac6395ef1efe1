using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>An action from the <see cref="RemediationCatalog"/> a diagnosis proposes, on an object of its evidence.</summary>
internal sealed record ProposedAction(RemediationAction Action, ObjectRef Target, IReadOnlyDictionary<string, string> Parameters, Risk Risk, string Reason);
