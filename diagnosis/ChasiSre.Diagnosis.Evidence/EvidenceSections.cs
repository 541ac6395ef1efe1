using System.Globalization;
using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// Turns each kind of input into the items of its section: deduplicated, sorted so that ids do not depend on input
/// order, cut to the per-section limits, each with its id (<c>[ev:3]</c>) on its first line.
/// </summary>
internal static partial class EvidenceSections
{
    /// <summary>The items of one section and how many the inputs offered (after deduplication).</summary>
    public sealed record Composed(EvidenceSection Section, string? Heading, IReadOnlyList<PackItem> Items, int Available);

    public static Composed Incident(Incident incident, IncidentScope scope, DateOnly day, EvidencePackOptions options)
    {
        var max = options.MaxLineChars;
        var subject = incident.Subject;
        var tenants = incident.Tenants.Count > 0 ? string.Join(", ", incident.Tenants) : Or(incident.Tenant, "none (platform)");
        var lines = new List<string>
        {
            EvidenceText.OneLine(
                $"# incident {incident.Id} rev {incident.Revision}: {Or(incident.Category, "uncategorised")}, layer {EvidenceText.Layer(incident.Layer)}, severity {EvidenceText.Severity(incident.Severity)}, {State(incident.State)}",
                max),
            EvidenceText.OneLine($"subject: {EvidenceText.Ref(subject)} ({EvidenceText.Layer(subject?.Layer ?? Layer.Unspecified)}); tenants: {tenants}", max),
        };
        if (incident.Summary.Length > 0)
        {
            lines.Add(EvidenceText.OneLine("summary: " + incident.Summary, max));
        }

        if (incident.Title.Length > 0 && !incident.Summary.Contains(incident.Title, StringComparison.OrdinalIgnoreCase))
        {
            lines.Add(EvidenceText.OneLine("title: " + incident.Title, max));
        }

        // Each object once, on the face in the subject's layer; the other faces are in the host <-> virtual section.
        var affected = incident.Affected
            .Where(a => subject is null || IncidentScope.Key(a) != IncidentScope.Key(subject))
            .Where(scope.IsPreferredFace)
            .OrderBy(scope.Order)
            .ThenBy(IncidentScope.Key, StringComparer.Ordinal)
            .ToList();
        var otherFaces = incident.Affected.Count(a => !scope.IsPreferredFace(a));
        if (affected.Count > 0 || otherFaces > 0)
        {
            const int shown = 6;
            var more = affected.Count > shown ? $" (+{affected.Count - shown} more)" : "";
            var twins = otherFaces > 0 ? $" (+{otherFaces} twin(s) in the other layer)" : "";
            lines.Add(EvidenceText.OneLine($"affected: {string.Join(", ", affected.Take(shown).Select(EvidenceText.Ref))}{more}{twins}", max));
        }

        var opened = incident.OpenedAt is null ? "?" : EvidenceText.Iso(incident.OpenedAt.ToDateTime());
        var updated = incident.UpdatedAt is null ? "?" : EvidenceText.Time(incident.UpdatedAt, day);
        lines.Add($"opened {opened}, updated {updated}, {Math.Max(incident.SignalCount, incident.Signals.Count)} signal(s); times UTC");
        return new Composed(EvidenceSection.Incident, null, [.. lines.Select(l => new PackItem(null, [l], false))], lines.Count);
    }

    public static Composed Signals(Incident incident, IEnumerable<Signal> extra, IncidentScope scope, DateOnly day, EvidencePackOptions options)
    {
        var own = Latest(incident.Signals).OrderBy(s => s, SignalOrder.Instance).ToList();
        var ownIds = own.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var more = Latest(extra.Where(s => !IsStatistical(s) && !ownIds.Contains(s.Id) && scope.InScope(s.Subject))).OrderBy(s => s, SignalOrder.Instance);
        var all = own.Concat(more).ToList();
        var items = new List<PackItem>();
        foreach (var signal in all.Take(options.MaxSignals))
        {
            var id = $"sig:{items.Count + 1}";
            var lines = new List<string>
            {
                EvidenceText.OneLine(
                    $"[{id}] {EvidenceText.Severity(signal.Severity)} {Or(signal.Category, "-")} {Or(signal.Detector, "?")} on {EvidenceText.Ref(signal.Subject)}{(signal.Active ? "" : " (cleared)")} since {EvidenceText.Time(signal.FirstSeen, day)}: {Or(signal.Message, signal.Reason)}",
                    options.MaxSignalLineChars),
            };
            if (signal.Cause is { } cause && cause.Name.Length > 0)
            {
                lines.Add("  " + EvidenceText.OneLine($"cause: {EvidenceText.Ref(cause)} ({EvidenceText.Layer(cause.Layer)})", options.MaxLineChars - 2));
            }

            foreach (var summary in signal.Evidence.Select(e => EvidenceText.OneLine(e.Summary, options.MaxSignalLineChars - 4)).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Take(options.MaxSignalEvidenceLines))
            {
                lines.Add("  - " + summary);
            }

            var records = new List<string> { signal.Id };
            records.AddRange(signal.Evidence.Select(e => e.RecordId).Where(r => r.Length > 0));
            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Signals, records.Distinct(StringComparer.Ordinal).ToList(), signal.Subject), lines, Trimmable: true));
        }

        return new Composed(EvidenceSection.Signals, "## signals (detector findings)", items, all.Count);
    }

    public static Composed Events(IEnumerable<KubeEvent> events, IncidentScope scope, DateOnly day, EvidencePackOptions options, ref int outOfScope)
    {
        // One row per observation of an event upstream: merge by the event's own uid first.
        var byUid = new Dictionary<string, KubeEvent>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Involved is null)
            {
                continue;
            }

            if (!scope.InScope(e.Involved))
            {
                outOfScope++;
                continue;
            }

            var uid = e.Event?.Uid is { Length: > 0 } u ? u : $"{IncidentScope.Key(e.Involved)}\u001f{e.Reason}\u001f{e.Message}\u001f{e.FirstSeen}";
            if (!byUid.TryGetValue(uid, out var seen) || Seconds(e.LastSeen) > Seconds(seen.LastSeen) || (Seconds(e.LastSeen) == Seconds(seen.LastSeen) && e.Count > seen.Count))
            {
                byUid[uid] = e;
            }
        }

        // The syncer copies host events about a twin into the vCluster: one occurrence seen through both faces. Events
        // are counted per face shown (the subject's layer), taking the larger of the two faces' totals.
        var groups = byUid.Values
            .Select(e => (Event: e, Face: scope.Face(e.Involved), Other: !scope.IsPreferredFace(e.Involved)))
            .GroupBy(x => (Type: x.Event.Type, Reason: x.Event.Reason, Message: EvidenceText.OneLine(x.Event.Message, 4096)))
            .Select(g => new
            {
                g.Key.Type,
                g.Key.Reason,
                g.Key.Message,
                Count = g.GroupBy(x => IncidentScope.Key(x.Face), StringComparer.Ordinal)
                    .Sum(face => Math.Max(
                        face.Where(x => !x.Other).Sum(x => (long)Math.Max(1, x.Event.Count)),
                        face.Where(x => x.Other).Sum(x => (long)Math.Max(1, x.Event.Count)))),
                First = g.Min(x => Seconds(x.Event.FirstSeen ?? x.Event.LastSeen)),
                Last = g.Max(x => Seconds(x.Event.LastSeen ?? x.Event.FirstSeen)),
                Objects = g.Select(x => x.Face).DistinctBy(IncidentScope.Key).OrderBy(scope.Order).ThenBy(IncidentScope.Key, StringComparer.Ordinal).ToList(),
                Uids = g.Select(x => x.Event.Event?.Uid ?? "").Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            })
            .OrderBy(g => string.Equals(g.Type, "Warning", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(g => g.Objects.Min(scope.Order))
            .ThenByDescending(g => g.Last)
            .ThenBy(g => g.Reason, StringComparer.Ordinal)
            .ThenBy(g => g.Message, StringComparer.Ordinal)
            .ToList();
        var items = new List<PackItem>();
        foreach (var g in groups.Take(options.MaxEvents))
        {
            var id = $"ev:{items.Count + 1}";
            var objects = g.Objects.Count <= 2
                ? string.Join(", ", g.Objects.Select(EvidenceText.Ref))
                : $"{string.Join(", ", g.Objects.Take(2).Select(EvidenceText.Ref))} (+{g.Objects.Count - 2} more)";
            var when = g.First == g.Last ? Time(g.Last, day) : $"{Time(g.First, day)}..{Time(g.Last, day)}";
            var count = g.Count > 1 ? $" x{g.Count}" : "";
            var line = EvidenceText.OneLine($"[{id}] {Or(g.Type, "?")} {Or(g.Reason, "?")}{count} {when} on {objects}: {g.Message}", options.MaxLineChars);
            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Events, g.Uids, g.Objects[0]), [line], Trimmable: false));
        }

        return new Composed(EvidenceSection.Events, "## events (deduplicated, Warning first)", items, groups.Count);
    }

    public static Composed Logs(IEnumerable<LogRecord> logs, IncidentScope scope, DateOnly day, EvidencePackOptions options, ref int outOfScope)
    {
        // A pod's log as read through its virtual face and its host twin is one log: keyed by the face shown.
        var unique = new Dictionary<string, (ObjectRef Face, LogRecord Line)>(StringComparer.Ordinal);
        foreach (var record in logs)
        {
            if (record.Source is null)
            {
                continue;
            }

            if (!scope.InScope(record.Source))
            {
                outOfScope++;
                continue;
            }

            var face = scope.Face(record.Source);
            var id = $"{IncidentScope.Key(face)}\u001f{record.Container}\u001f{record.Previous}\u001f{record.At}\u001f{record.Message}";
            if (!unique.TryGetValue(id, out var seen) || string.CompareOrdinal(record.Id, seen.Line.Id) < 0)
            {
                unique[id] = (face, record);
            }
        }

        var groups = unique.Values
            .GroupBy(l => (Source: IncidentScope.Key(l.Face), l.Line.Container, l.Line.Previous))
            .Select(g => new LogGroup(g.First().Face, g.Key.Container, g.Key.Previous, [.. g.Select(l => l.Line).OrderBy(l => Seconds(l.At)).ThenBy(l => l.Id, StringComparer.Ordinal)]))
            .OrderByDescending(g => g.Previous)
            .ThenByDescending(g => g.Lines.Any(IsError))
            .ThenBy(g => scope.Order(g.Source))
            .ThenBy(g => IncidentScope.Key(g.Source), StringComparer.Ordinal)
            .ThenBy(g => g.Container, StringComparer.Ordinal)
            .ToList();

        var items = new List<PackItem>();
        var available = 0;
        foreach (var group in groups)
        {
            var excerpt = Excerpt(group.Lines, options);
            available += excerpt.Count;
            var header = EvidenceText.OneLine($"{EvidenceText.Ref(group.Source)} container {Or(group.Container, "?")}{(group.Previous ? " (previous, crashed)" : "")}:", options.MaxLineChars);
            var first = true;
            foreach (var (line, repeats) in excerpt)
            {
                if (items.Count >= options.MaxLogLines)
                {
                    break;
                }

                var id = $"log:{items.Count + 1}";
                var times = repeats.Count > 1 ? $" (x{repeats.Count})" : "";
                var level = EvidenceText.Level(line.Level);
                // Many lines carry their own level word; print it once.
                var prefix = line.Message.StartsWith(level, StringComparison.OrdinalIgnoreCase) ? "" : level + " ";
                var text = EvidenceText.OneLine($"[{id}] {EvidenceText.Time(line.At, day)} {prefix}{line.Message}{(line.Truncated ? EvidenceText.Ellipsis : "")}{times}", options.MaxLineChars);
                var source = new EvidenceItem(id, EvidenceSection.Logs, repeats.Select(r => r.Id).Where(r => r.Length > 0).ToList(), group.Source);
                items.Add(new PackItem(source, first ? [header, text] : [text], Trimmable: false));
                first = false;
            }
        }

        return new Composed(EvidenceSection.Logs, "## logs (previous containers first, lines around errors)", items, available);
    }

    private sealed record LogGroup(ObjectRef Source, string Container, bool Previous, IReadOnlyList<LogRecord> Lines);

    // The lines worth reading in one container's log, in time order: every error line with a little context, identical
    // messages folded into one (counted); without errors, the tail.
    private static List<(LogRecord Line, List<LogRecord> Repeats)> Excerpt(IReadOnlyList<LogRecord> lines, EvidencePackOptions options)
    {
        var keep = new SortedSet<int>();
        var errors = Enumerable.Range(0, lines.Count).Where(i => IsError(lines[i])).ToList();
        // Most severe first when the cap bites: fatal/panic, then error, then the words that read like one.
        foreach (var i in errors.OrderByDescending(i => Weight(lines[i])).ThenBy(i => i))
        {
            keep.Add(i);
        }

        if (errors.Count == 0)
        {
            for (var i = Math.Max(0, lines.Count - options.MaxLogLinesPerContainer); i < lines.Count; i++)
            {
                keep.Add(i);
            }
        }

        foreach (var i in errors)
        {
            for (var j = Math.Max(0, i - options.LogContextBefore); j <= Math.Min(lines.Count - 1, i + options.LogContextAfter); j++)
            {
                keep.Add(j);
            }
        }

        // Fold identical messages, keeping the first occurrence's place.
        var folded = new List<(LogRecord Line, List<LogRecord> Repeats)>();
        var byMessage = new Dictionary<string, List<LogRecord>>(StringComparer.Ordinal);
        foreach (var i in keep)
        {
            var message = lines[i].Message;
            if (byMessage.TryGetValue(message, out var repeats))
            {
                repeats.Add(lines[i]);
                continue;
            }

            repeats = [lines[i]];
            byMessage[message] = repeats;
            folded.Add((lines[i], repeats));
        }

        // Foldings also pick up later occurrences outside the kept window, so the count is true.
        for (var i = 0; i < lines.Count; i++)
        {
            if (!keep.Contains(i) && byMessage.TryGetValue(lines[i].Message, out var repeats))
            {
                repeats.Add(lines[i]);
            }
        }

        if (folded.Count <= options.MaxLogLinesPerContainer)
        {
            return folded;
        }

        // Over the per-container cap: keep the heaviest lines, still printed in time order.
        return [.. folded
            .Select((entry, position) => (entry, position))
            .OrderByDescending(x => Weight(x.entry.Line))
            .ThenBy(x => x.position)
            .Take(options.MaxLogLinesPerContainer)
            .OrderBy(x => x.position)
            .Select(x => x.entry)];
    }

    public static Composed Objects(IEnumerable<ObjectSnapshot> snapshots, IncidentScope scope, DateOnly day, EvidencePackOptions options, Func<string, int> countTokens, ref int outOfScope)
    {
        var latest = new Dictionary<string, ObjectSnapshot>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            if (snapshot.Ref is null || snapshot.Ref.Kind == "Event")
            {
                continue;
            }

            if (!scope.InScope(snapshot.Ref))
            {
                outOfScope++;
                continue;
            }

            var key = IncidentScope.Key(snapshot.Ref);
            if (!latest.TryGetValue(key, out var seen) || Newer(snapshot, seen))
            {
                latest[key] = snapshot;
            }
        }

        var ordered = latest.Values.OrderBy(s => scope.Order(s.Ref)).ThenBy(s => IncidentScope.Key(s.Ref), StringComparer.Ordinal).ToList();
        var items = new List<PackItem>();
        var skipped = 0;
        foreach (var snapshot in ordered.Take(options.MaxObjects))
        {
            var id = $"obj:{items.Count + 1}";
            // The other face of a twinned object whose preferred face is shown too: its spec is a translated copy, so
            // only its own status is worth the tokens.
            var twin = scope.Face(snapshot.Ref);
            var statusOnly = !scope.IsPreferredFace(snapshot.Ref) && latest.ContainsKey(IncidentScope.Key(twin));
            var rank = scope.Rank(snapshot.Ref);
            var role = statusOnly ? $"{EvidenceText.Layer(snapshot.Ref.Layer)} twin of {EvidenceText.Ref(twin)}"
                : rank == 0 ? $"subject, {EvidenceText.Layer(snapshot.Ref.Layer)}"
                : rank == int.MaxValue ? $"context, {EvidenceText.Layer(snapshot.Ref.Layer)}"
                : $"related, {EvidenceText.Layer(snapshot.Ref.Layer)}";
            var seen = snapshot.ObservedAt is null ? "" : $", seen {EvidenceText.Time(snapshot.ObservedAt, day)}";
            var version = snapshot.ResourceVersion.Length > 0 ? $", rv {snapshot.ResourceVersion}" : "";
            var lines = new List<string> { EvidenceText.OneLine($"[{id}] {EvidenceText.Ref(snapshot.Ref)} ({role}{version}{seen})", options.MaxLineChars) };
            var tokens = countTokens(lines[0] + "\n");
            var rendered = statusOnly ? [.. ObjectRenderer.Render(snapshot, options.MaxLineChars).Where(ObjectRenderer.IsStatusLine)] : ObjectRenderer.Render(snapshot, options.MaxLineChars);
            if (statusOnly && rendered.Count == 0)
            {
                skipped++; // A twin with no status of its own adds nothing to its other face and the mapping.
                continue;
            }

            foreach (var line in rendered)
            {
                var cost = countTokens(line + "\n");
                if (tokens + cost > options.MaxObjectTokens)
                {
                    lines.Add("  " + EvidenceText.Ellipsis);
                    break;
                }

                tokens += cost;
                lines.Add(line);
            }

            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Objects, snapshot.Ref.Uid.Length > 0 ? [snapshot.Ref.Uid] : [], snapshot.Ref), lines, Trimmable: true));
        }

        return new Composed(EvidenceSection.Objects, "## objects (trimmed spec and status; env values and Secret data never shown)", items, ordered.Count - skipped);
    }

    public static Composed Mapping(Incident incident, IEnumerable<ObjectRef> references, IncidentScope scope, EvidencePackOptions options)
    {
        var all = references.Where(r => r is not null && r.Name.Length > 0 && scope.InScope(r)).ToList();
        var layers = all.Select(r => r.Layer).Concat(all.Select(IncidentScope.Twin).OfType<ObjectRef>().Select(t => t.Layer)).ToHashSet();
        var crossLayer = (layers.Contains(Layer.Host) && layers.Contains(Layer.Virtual))
            || (incident.Subject is { } subject && incident.Layer != Layer.Unspecified && subject.Layer != Layer.Unspecified && incident.Layer != subject.Layer);
        if (!crossLayer)
        {
            return new Composed(EvidenceSection.Mapping, null, [], 0);
        }

        var lines = new List<(string Text, ObjectRef Subject)>();
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in all.OrderBy(scope.Order).ThenBy(IncidentScope.Key, StringComparer.Ordinal))
        {
            if (IncidentScope.Twin(reference) is not { } twin)
            {
                continue;
            }

            var (virtualSide, hostSide) = reference.Layer == Layer.Host ? (twin, reference) : (reference, twin);
            if (pairs.Add($"{IncidentScope.Key(virtualSide)}\u001e{IncidentScope.Key(hostSide)}"))
            {
                lines.Add(($"virtual {EvidenceText.Ref(virtualSide)} <-> host {EvidenceText.Ref(hostSide)}", virtualSide));
            }
        }

        var placements = all
            .Where(r => r.HostNamespace.Length > 0)
            .DistinctBy(r => (r.Cluster, r.HostCluster, r.HostNamespace))
            .OrderBy(r => r.Cluster, StringComparer.Ordinal);
        foreach (var cluster in placements)
        {
            var tenant = cluster.Tenant.Length > 0 ? $" (tenant {cluster.Tenant})" : "";
            lines.Add(($"vCluster {cluster.Cluster}{tenant} runs on host cluster {Or(cluster.HostCluster, "?")} in namespace {cluster.HostNamespace}; its synced objects are named <name>-x-<namespace>-x-{cluster.Cluster} there", cluster));
        }

        var items = lines
            .Select((line, i) => new PackItem(
                new EvidenceItem($"map:{i + 1}", EvidenceSection.Mapping, [], line.Subject),
                [EvidenceText.OneLine($"[map:{i + 1}] {line.Text}", options.MaxLineChars)],
                Trimmable: false))
            .ToList();
        return new Composed(EvidenceSection.Mapping, "## host <-> virtual", items, items.Count);
    }

    public static Composed Metrics(Incident incident, IEnumerable<Signal> signals, IEnumerable<MetricSample> samples, IncidentScope scope, DateOnly day, EvidencePackOptions options, ref int outOfScope)
    {
        var ownIds = incident.Signals.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var anomalies = Latest(signals.Where(s => IsStatistical(s) && !ownIds.Contains(s.Id)))
            .Where(s => scope.InScope(s.Subject))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s, SignalOrder.Instance)
            .ToList();
        var series = new List<MetricSample>();
        foreach (var sample in samples)
        {
            if (sample.Points.Count == 0)
            {
                continue;
            }

            if (sample.Subject is not null && !scope.InScope(sample.Subject))
            {
                outOfScope++;
                continue;
            }

            series.Add(sample);
        }

        var ordered = series
            .GroupBy(s => $"{(s.Subject is null ? "" : IncidentScope.Key(s.Subject))}\u001f{s.Series}\u001f{s.Name}", StringComparer.Ordinal)
            .Select(g => (Sample: g.First(), Points: g.SelectMany(s => s.Points).DistinctBy(p => Seconds(p.At)).OrderBy(p => Seconds(p.At)).ToList()))
            .OrderBy(s => scope.Rank(s.Sample.Subject))
            .ThenBy(s => s.Sample.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Sample.Series, StringComparer.Ordinal)
            .ToList();

        var items = new List<PackItem>();
        foreach (var anomaly in anomalies)
        {
            if (items.Count >= options.MaxMetrics)
            {
                break;
            }

            var id = $"met:{items.Count + 1}";
            var lines = new List<string>
            {
                EvidenceText.OneLine($"[{id}] {Or(anomaly.Detector, "?")} score {anomaly.Score.ToString("0.00", CultureInfo.InvariantCulture)} on {EvidenceText.Ref(anomaly.Subject)} {EvidenceText.Time(anomaly.FirstSeen, day)}..{EvidenceText.Time(anomaly.LastSeen, day)}: {Or(anomaly.Message, anomaly.Reason)}", options.MaxLineChars),
            };
            lines.AddRange(anomaly.Evidence.Select(e => EvidenceText.OneLine(e.Summary, options.MaxLineChars - 4)).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Take(3).Select(s => "  - " + s));
            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Metrics, [anomaly.Id], anomaly.Subject), lines, Trimmable: true));
        }

        foreach (var (sample, points) in ordered)
        {
            if (items.Count >= options.MaxMetrics)
            {
                break;
            }

            var id = $"met:{items.Count + 1}";
            var labels = sample.Labels.Count == 0 ? "" : "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            var on = sample.Subject is null ? "" : $" on {EvidenceText.Ref(sample.Subject)}";
            var unit = sample.Unit.Length > 0 ? $" {sample.Unit}" : "";
            var values = points.Select(p => p.Value).ToList();
            var peak = points.MaxBy(p => p.Value)!;
            var line = $"[{id}] {Or(sample.Name, sample.Series)}{labels}{on}: {points.Count} point(s) {EvidenceText.Time(points[0].At, day)}..{EvidenceText.Time(points[^1].At, day)} first {EvidenceText.Number(values[0])} last {EvidenceText.Number(values[^1])} min {EvidenceText.Number(values.Min())} max {EvidenceText.Number(peak.Value)} at {EvidenceText.Time(peak.At, day)}{unit}";
            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Metrics, [sample.Series], sample.Subject), [EvidenceText.OneLine(line, options.MaxLineChars)], Trimmable: false));
        }

        return new Composed(EvidenceSection.Metrics, "## metrics", items, anomalies.Count + ordered.Count);
    }

    public static Composed Business(IEnumerable<BusinessRecord> records, IncidentScope scope, DateOnly day, EvidencePackOptions options, ref int outOfScope)
    {
        var inScope = new List<BusinessRecord>();
        foreach (var record in records)
        {
            if (record.Subject is not null && !scope.InScope(record.Subject))
            {
                outOfScope++;
                continue;
            }

            inScope.Add(record);
        }

        var unique = inScope.DistinctBy(r => r.Id.Length > 0 ? r.Id : r.ToString()).ToList();
        var entries = new List<(int Order, double Time, string Text, IReadOnlyList<string> Ids, ObjectRef? Subject)>();
        string Who(BusinessRecord r) => r.Subject?.Tenant is { Length: > 0 } tenant ? $"{r.Adapter} ({tenant})" : r.Adapter;

        foreach (var status in unique.Where(r => r.RecordCase == BusinessRecord.RecordOneofCase.Status).GroupBy(r => Who(r)).Select(g => g.MaxBy(r => Seconds(r.At))!))
        {
            var s = status.Status;
            var metrics = s.Metrics.Count == 0 ? "" : " {" + string.Join(", ", s.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={EvidenceText.Number(m.Value)}")) + "}";
            var dependsOn = s.DependsOn.Count == 0 ? "" : $" runs on {string.Join(", ", s.DependsOn.Select(EvidenceText.Ref))}";
            entries.Add((s.Healthy ? 4 : 0, -Seconds(status.At), $"{Who(status)} status {(s.Healthy ? "healthy" : "UNHEALTHY")} at {EvidenceText.Time(status.At, day)}: {s.Summary}{metrics}{dependsOn}", [status.Id], status.Subject));
        }

        foreach (var g in unique.Where(r => r.RecordCase == BusinessRecord.RecordOneofCase.Event).GroupBy(r => (Who: Who(r), r.Event.Type, r.Event.Reason, r.Event.Message)))
        {
            var first = g.Min(r => Seconds(r.At));
            var last = g.Max(r => Seconds(r.At));
            var count = g.Count() > 1 ? $" x{g.Count()}" : "";
            var when = first == last ? Time(last, day) : $"{Time(first, day)}..{Time(last, day)}";
            var order = g.Key.Type switch { "Error" => 1, "Warning" => 2, _ => 5 };
            entries.Add((order, -last, $"{g.Key.Who} event {g.Key.Type} {g.Key.Reason}{count} {when}: {g.Key.Message}", [.. g.Select(r => r.Id)], g.First().Subject));
        }

        foreach (var g in unique.Where(r => r.RecordCase == BusinessRecord.RecordOneofCase.Log).GroupBy(r => (Who: Who(r), r.Log.Level, r.Log.Message)))
        {
            var last = g.Max(r => Seconds(r.Log.At ?? r.At));
            var count = g.Count() > 1 ? $" (x{g.Count()})" : "";
            var order = g.Key.Level >= LogLevel.Error ? 3 : g.Key.Level == LogLevel.Warn ? 4 : 6;
            entries.Add((order, -last, $"{g.Key.Who} log {EvidenceText.Level(g.Key.Level)} {Time(last, day)}: {g.Key.Message}{count}", [.. g.Select(r => r.Id)], g.First().Subject));
        }

        foreach (var config in unique.Where(r => r.RecordCase == BusinessRecord.RecordOneofCase.Config).GroupBy(r => Who(r)).Select(g => g.MaxBy(r => Seconds(r.At))!))
        {
            var values = string.Join(", ", config.Config.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => ObjectRenderer.IsSensitiveName(v.Key) ? $"{v.Key}=***" : $"{v.Key}={EvidenceText.OneLine(v.Value, 80)}"));
            entries.Add((7, -Seconds(config.At), $"{Who(config)} config {Or(config.Config.Version, "-")}: {values}", [config.Id], config.Subject));
        }

        foreach (var runbook in unique.Where(r => r.RecordCase == BusinessRecord.RecordOneofCase.Runbook).DistinctBy(r => (Who(r), r.Runbook.Id)))
        {
            entries.Add((8, -Seconds(runbook.At), $"{Who(runbook)} runbook {runbook.Runbook.Id}: {runbook.Runbook.Title}", [runbook.Id], runbook.Subject));
        }

        var ordered = entries.OrderBy(e => e.Order).ThenBy(e => e.Time).ThenBy(e => e.Text, StringComparer.Ordinal).ToList();
        var items = ordered.Take(options.MaxBusinessItems)
            .Select((e, i) => new PackItem(
                new EvidenceItem($"biz:{i + 1}", EvidenceSection.Business, e.Ids.Where(x => x.Length > 0).ToList(), e.Subject),
                [EvidenceText.OneLine($"[biz:{i + 1}] {e.Text}", options.MaxLineChars)],
                Trimmable: false))
            .ToList();
        return new Composed(EvidenceSection.Business, "## business", items, ordered.Count);
    }

    public static Composed Knowledge(IEnumerable<KnowledgeEvidence> chunks, EvidencePackOptions options)
    {
        var unique = chunks.Where(c => c is not null).DistinctBy(c => c.Citation, StringComparer.Ordinal).ToList();
        var items = new List<PackItem>();
        foreach (var chunk in unique.Take(options.MaxKnowledgeChunks))
        {
            var id = $"kb:{items.Count + 1}";
            var lines = new List<string> { EvidenceText.OneLine($"[{id}] {chunk.Citation} {chunk.Heading}", options.MaxLineChars) };
            lines.AddRange(Wrap(EvidenceText.OneLine(chunk.Text, options.MaxKnowledgeChars), Math.Min(options.MaxLineChars, 200)).Select(l => "  " + l));
            items.Add(new PackItem(new EvidenceItem(id, EvidenceSection.Knowledge, [chunk.Citation], null), lines, Trimmable: true));
        }

        return new Composed(EvidenceSection.Knowledge, "## knowledge (cite as given)", items, unique.Count);
    }

    /// <summary>Statistical findings (anomaly detectors) as opposed to rule findings.</summary>
    public static bool IsStatistical(Signal signal) =>
        signal.Detector.StartsWith("anomaly.", StringComparison.Ordinal)
        || signal.Category == "MetricAnomaly"
        || (signal.Score > 0 && signal.Score < 1);

    private static IEnumerable<Signal> Latest(IEnumerable<Signal> signals) =>
        signals.Where(s => s is not null)
            .GroupBy(s => s.Id.Length > 0 ? s.Id : $"{s.Detector}\u001f{(s.Subject is null ? "" : IncidentScope.Key(s.Subject))}\u001f{s.Reason}", StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(s => Seconds(s.LastSeen)).First());

    private static bool Newer(ObjectSnapshot candidate, ObjectSnapshot current)
    {
        var a = ulong.TryParse(candidate.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : 0;
        var b = ulong.TryParse(current.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        return a != b ? a > b : Seconds(candidate.ObservedAt) > Seconds(current.ObservedAt);
    }

    private static bool IsError(LogRecord line) => line.Level >= LogLevel.Error || ErrorWords().IsMatch(line.Message);

    private static int Weight(LogRecord line) =>
        line.Level == LogLevel.Fatal || PanicWords().IsMatch(line.Message) ? 3
        : line.Level == LogLevel.Error ? 2
        : ErrorWords().IsMatch(line.Message) ? 1
        : 0;

    private static double Seconds(Timestamp? at) => at is null ? 0 : at.Seconds + (at.Nanos / 1e9);

    private static string Time(double seconds, DateOnly day) =>
        seconds == 0 ? "?" : EvidenceText.Time(DateTime.UnixEpoch.AddSeconds(seconds), day);

    private static string State(IncidentState state) => state switch
    {
        IncidentState.Open => "open",
        IncidentState.Resolved => "resolved",
        _ => "unspecified",
    };

    private static string Or(string? text, string fallback) => string.IsNullOrEmpty(text) ? fallback : text;

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(width, text.Length - start);
            if (start + length < text.Length)
            {
                var space = text.LastIndexOf(' ', start + length - 1, length);
                if (space > start)
                {
                    length = space - start;
                }
            }

            yield return text.Substring(start, length).Trim();
            start += length;
        }
    }

    [GeneratedRegex(@"(?i)\b(error|errors|fatal|panic|exception|traceback|failed|failure|refused|denied|forbidden|unauthorized|timed? ?out|timeout|oom|killed|cannot|unable|invalid|not found|no such)\b")]
    private static partial Regex ErrorWords();

    [GeneratedRegex(@"(?i)\b(fatal|panic|panicked|segmentation fault|out of memory|oomkilled)\b")]
    private static partial Regex PanicWords();

    /// <summary>Active before cleared, most severe first, then oldest first (the first symptom), then id.</summary>
    private sealed class SignalOrder : IComparer<Signal>
    {
        public static readonly SignalOrder Instance = new();

        public int Compare(Signal? x, Signal? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? 1 : -1;
            }

            var c = y.Active.CompareTo(x.Active);
            if (c == 0)
            {
                c = y.Severity.CompareTo(x.Severity);
            }

            if (c == 0)
            {
                c = Seconds(x.FirstSeen ?? x.LastSeen).CompareTo(Seconds(y.FirstSeen ?? y.LastSeen));
            }

            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
