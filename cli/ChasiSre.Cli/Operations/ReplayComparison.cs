using ChasiSre.Api;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// A replay's incidents against the production incidents opened in the same window, paired by subject (cluster, kind,
/// namespace, name) and category: each replay incident takes the earliest-opened production incident of its key not
/// paired yet, so an incident reopened twice in production and once in the replay is one match and one only-in-production.
/// <c>Matches</c> maps each matched replay incident id to its production incident id; <c>ProductionOnlyIncidents</c> are
/// the production incidents no replay incident matched.
/// </summary>
internal sealed record ReplayComparison(
    int Matched,
    int OnlyInReplay,
    int OnlyInProduction,
    IReadOnlyDictionary<string, string> Matches,
    IReadOnlyList<IncidentSummary> ProductionOnlyIncidents)
{
    public static ReplayComparison Of(IReadOnlyList<Incident> replay, IReadOnlyList<IncidentSummary> production)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(production);
        var open = production
            .OrderBy(p => p.OpenedAt)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .GroupBy(p => Key(p.Subject.Cluster, p.Subject.Kind, p.Subject.Namespace, p.Subject.Name, p.Category))
            .ToDictionary(g => g.Key, g => new Queue<IncidentSummary>(g), StringComparer.Ordinal);
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var incident in replay.OrderBy(i => i.OpenedAt?.ToDateTimeOffset()).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            var subject = incident.Subject ?? new ObjectRef();
            if (open.TryGetValue(Key(subject.Cluster, subject.Kind, subject.Namespace, subject.Name, incident.Category), out var candidates)
                && candidates.TryDequeue(out var match))
            {
                matches[incident.Id] = match.Id;
            }
        }

        var onlyInProduction = open.Values.SelectMany(q => q).OrderBy(p => p.OpenedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        return new ReplayComparison(matches.Count, replay.Count - matches.Count, onlyInProduction.Count, matches, onlyInProduction);
    }

    private static string Key(string cluster, string kind, string @namespace, string name, string category) =>
        string.Join('\u001f', cluster, kind, @namespace, name, category);
}
