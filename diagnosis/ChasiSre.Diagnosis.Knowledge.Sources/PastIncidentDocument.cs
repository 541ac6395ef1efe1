using System.Globalization;
using System.Text;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// Renders a resolved incident and its latest diagnosis as a Markdown document for one reader: a tenant (private copy)
/// or every tenant (shared, for platform incidents that affect no tenant). In a copy for one tenant of an incident that
/// affected several, every other tenant's identifiers (tenant, vCluster, host namespace, namespace, object names, uids)
/// are replaced by <see cref="Redacted"/>, their signals are left out and cited evidence lines naming them are dropped.
/// </summary>
internal static class PastIncidentDocument
{
    public const string Redacted = "[other tenant]";

    private static readonly HashSet<string> CommonNamespaces = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>The source id of an incident's document: <c>incidents/&lt;incident-id&gt;</c>.</summary>
    public static string SourceId(string incidentId) => $"incidents/{incidentId}";

    /// <summary>The tenants that get a private copy; empty for a platform incident (one shared copy).</summary>
    public static IReadOnlyList<string> Readers(Incident incident) =>
        incident.Tenants.Append(incident.Tenant).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static string Render(Incident incident, Schemas.V1.Diagnosis diagnosis, string? reader, PastIncidentIndexerOptions options)
    {
        var redactions = reader is null ? [] : ForeignIdentifiers(incident, reader);
        string Clean(string text) => Redact(OneLine(text), redactions);
        bool Foreign(string text) => redactions.Any(r => text.Contains(r, StringComparison.Ordinal));

        var category = incident.Category.Length > 0 ? incident.Category : diagnosis.Category.Length > 0 ? diagnosis.Category : "Incident";
        var subject = Clean(Label(incident.Subject));
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append(CultureInfo.InvariantCulture, $"categories: [{OneLine(category).Replace(",", " ", StringComparison.Ordinal)}]\n");
        text.Append("---\n\n");
        text.Append(CultureInfo.InvariantCulture, $"# Past incident: {OneLine(category)} on {subject}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Incident {incident.Id} (revision {incident.Revision}), severity {incident.Severity}, layer {incident.Layer}");
        if (incident.OpenedAt is { } opened)
        {
            text.Append(CultureInfo.InvariantCulture, $", opened {Time(opened.ToDateTimeOffset())}");
        }

        text.Append(".\n\n## What happened\n\n");
        var summary = incident.Summary.Length > 0 ? incident.Summary : incident.Title;
        if (summary.Length > 0)
        {
            text.Append(Clean(summary)).Append("\n\n");
        }

        var signals = incident.Signals
            .Where(s => reader is null || !IsForeign(s.Subject, reader))
            .OrderByDescending(s => s.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
            .ToList();
        foreach (var signal in signals.Take(options.MaxSignals))
        {
            text.Append(CultureInfo.InvariantCulture, $"- `{OneLine(signal.Detector)}` {Clean(signal.Reason)} on {Clean(Label(signal.Subject))}: {Clean(signal.Message)}\n");
        }

        if (signals.Count > options.MaxSignals)
        {
            text.Append(CultureInfo.InvariantCulture, $"- … and {signals.Count - options.MaxSignals} more signals\n");
        }

        text.Append("\n## Diagnosis\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Root cause: {Clean(diagnosis.RootCause)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Layer {diagnosis.Layer}, confidence {diagnosis.Confidence:0.00}, engine {OneLine(diagnosis.Engine)}, diagnosed at revision {diagnosis.IncidentRevision}.\n\n");
        if (diagnosis.Remediations.Count > 0)
        {
            text.Append("### Remediation\n\n");
            foreach (var step in diagnosis.Remediations)
            {
                var line = Clean(step.Title);
                if (step.Description.Length > 0)
                {
                    line += " — " + Clean(step.Description);
                }

                text.Append(CultureInfo.InvariantCulture, $"- {line}\n");
            }

            text.Append('\n');
        }

        // Cited evidence lines are free text from the evidence pack (log lines, event messages): a line naming another
        // tenant's objects is dropped whole rather than redacted piecemeal.
        var evidence = diagnosis.Explanation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !Foreign(l))
            .Take(options.MaxEvidenceLines)
            .ToList();
        if (evidence.Count > 0)
        {
            text.Append("### Evidence cited\n\n");
            foreach (var line in evidence)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {OneLine(line)}\n");
            }

            text.Append('\n');
        }

        var citations = diagnosis.Citations.Select(c => c.ChunkId).Where(c => c.Length > 0 && !Foreign(c)).Distinct(StringComparer.Ordinal).ToList();
        if (citations.Count > 0)
        {
            text.Append("### Runbooks cited\n\n");
            foreach (var citation in citations)
            {
                text.Append(CultureInfo.InvariantCulture, $"- kb:{OneLine(citation)}\n");
            }

            text.Append('\n');
        }

        text.Append("## Resolution\n\n");
        if (incident.ResolvedAt is { } resolved)
        {
            text.Append(CultureInfo.InvariantCulture, $"Resolved {Time(resolved.ToDateTimeOffset())}");
            if (incident.OpenedAt is { } from && resolved.ToDateTimeOffset() >= from.ToDateTimeOffset())
            {
                text.Append(CultureInfo.InvariantCulture, $" after {Duration(resolved.ToDateTimeOffset() - from.ToDateTimeOffset())} open");
            }

            text.Append(".\n");
        }
        else
        {
            text.Append("Resolved (no resolution time recorded).\n");
        }

        return text.ToString();
    }

    /// <summary>"1 h 12 min", "3 min 4 s", "2 d 3 h".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)} s"),
    };

    /// <summary>
    /// Identifiers of every object in the incident that belongs to a tenant other than <paramref name="reader"/> (a
    /// platform object synced from another tenant's vCluster counts as that tenant's), minus those the reader's own or
    /// platform objects share, longest first.
    /// </summary>
    internal static IReadOnlyList<string> ForeignIdentifiers(Incident incident, string reader)
    {
        var foreign = new HashSet<string>(StringComparer.Ordinal);
        var own = new HashSet<string>(StringComparer.Ordinal) { reader };
        foreach (var tenant in incident.Tenants.Append(incident.Tenant))
        {
            if (tenant.Length > 0 && tenant != reader)
            {
                foreign.Add(tenant);
            }
        }

        foreach (var reference in References(incident))
        {
            var target = IsForeign(reference, reader) ? foreign : own;
            foreach (var r in reference.Twin is { } twin ? new[] { reference, twin } : [reference])
            {
                target.Add(r.Tenant);
                target.Add(r.Cluster);
                target.Add(r.HostNamespace);
                target.Add(r.Name);
                target.Add(r.Uid);
                if (!CommonNamespaces.Contains(r.Namespace))
                {
                    target.Add(r.Namespace);
                }
            }
        }

        // A tenant name is always foreign, even if it appears as a word of the reader's own objects.
        var tenants = incident.Tenants.Append(incident.Tenant).Where(t => t.Length > 0 && t != reader).ToHashSet(StringComparer.Ordinal);
        return foreign.Where(f => f.Length >= 2 && (tenants.Contains(f) || !own.Contains(f)))
            .OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal).ToList();
    }

    private static bool IsForeign(ObjectRef? reference, string reader) =>
        reference is not null && ((reference.Tenant.Length > 0 && reference.Tenant != reader) || (reference.Twin is { Tenant.Length: > 0 } twin && twin.Tenant != reader));

    private static IEnumerable<ObjectRef> References(Incident incident)
    {
        if (incident.Subject is { } subject)
        {
            yield return subject;
        }

        foreach (var affected in incident.Affected)
        {
            yield return affected;
        }

        foreach (var signal in incident.Signals)
        {
            if (signal.Subject is { } s)
            {
                yield return s;
            }

            if (signal.Cause is { } c)
            {
                yield return c;
            }
        }
    }

    private static string Redact(string text, IReadOnlyList<string> identifiers)
    {
        foreach (var identifier in identifiers)
        {
            text = text.Replace(identifier, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Label(ObjectRef? reference) => reference switch
    {
        null => "the platform",
        { Namespace.Length: > 0 } r => $"{r.Kind} {r.Cluster}/{r.Namespace}/{r.Name}",
        var r => $"{r.Kind} {r.Cluster}/{r.Name}",
    };

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
