using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Loads what an evidence pack is built from for one incident.</summary>
public interface IEvidenceSource
{
    /// <summary>
    /// The records related to <paramref name="incident"/>: snapshots of its related objects, their events, the logs of
    /// its pods, signals. Only records of the incident's tenants (and platform-owned host objects) are returned.
    /// Knowledge chunks are not a source's job: add them with <c>inputs with { Knowledge = ... }</c>.
    /// </summary>
    Task<EvidenceInputs> LoadAsync(Incident incident, CancellationToken cancellationToken = default);
}
