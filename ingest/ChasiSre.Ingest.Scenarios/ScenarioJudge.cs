using System.Globalization;
using System.Text;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>
/// FORMAT.md's matching rule at detection level: an expected incident matches an actual one when the categories are
/// equal, the layers are equal, the expected subject is the actual subject or one of its affected objects, and every
/// evidence string is a case-insensitive substring of the incident's evidence: the evidence pack when the caller has
/// one, else the text of the incident's signals (messages and evidence lines, <see cref="Evidence"/>). No incident may
/// have an <c>absent</c> subject; at most <c>maxIncidents</c> incidents.
/// </summary>
public static class ScenarioJudge
{
    /// <summary>Every way <paramref name="incidents"/> falls short of <paramref name="expect"/>; empty when it passes.</summary>
    /// <param name="expect">The scenario's expectations.</param>
    /// <param name="incidents">Every incident the replay published (latest revisions).</param>
    /// <param name="evidence">The evidence text of an incident; <see cref="Evidence"/> when null.</param>
    public static IReadOnlyList<string> Judge(ScenarioExpectations expect, IReadOnlyList<Incident> incidents, Func<Incident, string>? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(incidents);
        evidence ??= Evidence;
        var failures = new List<string>();
        foreach (var expected in expect.Incidents)
        {
            if (!incidents.Any(i => Matches(expected, i, evidence)))
            {
                failures.Add($"expected {expected.Category} ({expected.Layer}) about {expected.Subject} with evidence [{string.Join(", ", expected.Evidence)}]: {NearMiss(expected, incidents, evidence)}");
            }
        }

        foreach (var absent in expect.Absent)
        {
            foreach (var incident in incidents.Where(i => Is(i.Subject, absent)))
            {
                failures.Add($"{absent} must not be the subject of an incident, but {incident.Id} ({incident.Category}) is about it");
            }
        }

        if (expect.MaxIncidents is { } max && incidents.Count > max)
        {
            failures.Add($"{incidents.Count} incidents, at most {max} allowed");
        }

        return failures;
    }

    /// <summary>True when <paramref name="incident"/> satisfies <paramref name="expected"/>.</summary>
    public static bool Matches(ExpectedIncident expected, Incident incident, Func<Incident, string>? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(incident);
        if (incident.Category != expected.Category || LayerOf(incident) != expected.Layer || !IsSubjectOrAffected(incident, expected.Subject))
        {
            return false;
        }

        var text = (evidence ?? Evidence)(incident);
        return expected.Evidence.All(e => text.Contains(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The evidence text searched for expected strings: every signal's message and evidence lines.</summary>
    public static string Evidence(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var text = new StringBuilder();
        foreach (var signal in incident.Signals)
        {
            text.AppendLine(signal.Message);
            foreach (var line in signal.Evidence)
            {
                text.AppendLine(line.Summary);
            }
        }

        return text.ToString();
    }

    /// <summary>The incidents, one per line, with what the judge compares: for a failing row's message.</summary>
    public static string Describe(IReadOnlyList<Incident> incidents)
    {
        if (incidents.Count == 0)
        {
            return "(no incidents)";
        }

        var text = new StringBuilder();
        foreach (var incident in incidents)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {incident.Category} layer={LayerOf(incident)} state={incident.State} subject={Format(incident.Subject)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  affected: {string.Join(", ", incident.Affected.Select(Format))}\n");
            foreach (var signal in incident.Signals)
            {
                text.Append(CultureInfo.InvariantCulture, $"  signal {signal.Detector} {signal.Category} active={signal.Active}: {signal.Message}\n");
                foreach (var line in signal.Evidence)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    | {line.Summary}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The scenario layer of an incident (null when unspecified).</summary>
    public static IncidentLayer? LayerOf(Incident incident) => incident.Layer switch
    {
        Layer.Host => IncidentLayer.Host,
        Layer.Virtual => IncidentLayer.Virtual,
        Layer.Business => IncidentLayer.Business,
        _ => null,
    };

    private static bool IsSubjectOrAffected(Incident incident, SubjectKey subject) =>
        Is(incident.Subject, subject) || incident.Affected.Any(a => Is(a, subject));

    /// <summary>True when <paramref name="reference"/> names <paramref name="subject"/>.</summary>
    public static bool Is(ObjectRef? reference, SubjectKey subject) =>
        reference is not null
        && reference.Cluster == subject.Cluster
        && reference.Kind == subject.Kind
        && reference.Name == subject.Name
        && reference.Namespace == (subject.Namespace ?? "");

    private static string NearMiss(ExpectedIncident expected, IReadOnlyList<Incident> incidents, Func<Incident, string> evidence)
    {
        var sameCategory = incidents.Where(i => i.Category == expected.Category).ToList();
        if (sameCategory.Count == 0)
        {
            return "no incident of that category";
        }

        var about = sameCategory.Where(i => IsSubjectOrAffected(i, expected.Subject)).ToList();
        if (about.Count == 0)
        {
            return "the incidents of that category are about " + string.Join(", ", sameCategory.Select(i => Format(i.Subject)));
        }

        var layered = about.Where(i => LayerOf(i) == expected.Layer).ToList();
        if (layered.Count == 0)
        {
            return "the incident about it has layer " + string.Join(", ", about.Select(LayerOf));
        }

        var missing = expected.Evidence.Where(text => !layered.Any(i => evidence(i).Contains(text, StringComparison.OrdinalIgnoreCase)));
        return "evidence missing: " + string.Join(", ", missing.Select(m => $"'{m}'"));
    }

    private static string Format(ObjectRef? reference) =>
        reference is null ? "(none)"
        : reference.Namespace.Length == 0 ? $"{reference.Cluster}/{reference.Kind}/{reference.Name}"
        : $"{reference.Cluster}/{reference.Kind}/{reference.Namespace}/{reference.Name}";
}
