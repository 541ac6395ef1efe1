using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Safety.Tests;

/// <summary>
/// Evidence as the store holds it after each scenario's replay (what <c>chasi scenario run</c> builds packs from), plus
/// the scenario's business records: every hostile byte a scenario carries can reach the pack.
/// </summary>
internal sealed class CorpusEvidence(IReadOnlyDictionary<string, EvidenceInputs> inputs) : IEvidenceSource
{
    public Task<EvidenceInputs> LoadAsync(Incident incident, CancellationToken cancellationToken = default) =>
        Task.FromResult(inputs.TryGetValue(incident.Id, out var found) ? found : EvidenceInputs.Empty);
}
