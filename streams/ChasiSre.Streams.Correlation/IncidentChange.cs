using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Correlation;

/// <summary>One record to publish on <c>chasi.incidents.v1</c> (compacted, keyed by <see cref="Key"/>).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Incident">The incident as it is now (a copy the caller owns).</param>
public sealed record IncidentChange(IncidentChangeKind Kind, Incident Incident)
{
    /// <summary>The record key: the incident id.</summary>
    public string Key => Incident.Id;
}
