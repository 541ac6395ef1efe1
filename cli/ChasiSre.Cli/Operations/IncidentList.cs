using ChasiSre.Api;

namespace ChasiSre.Cli.Operations;

/// <summary>What <c>chasi incidents list --format json</c> prints: the incidents in the API's shape, newest opened first.</summary>
/// <param name="Incidents"></param>
/// <param name="Truncated">True when more incidents matched than <c>--limit</c> let through.</param>
internal sealed record IncidentList(IReadOnlyList<IncidentSummary> Incidents, bool Truncated);
