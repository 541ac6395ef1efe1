using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Correlation;

/// <summary>
/// Groups detector findings into incidents by root cause and runs their lifecycle: open, update,
/// resolve after a quiet period, reopen. Deterministic: time is the state's
/// <see cref="IClusterState.Now"/> (or the time given to <see cref="Advance"/>), ids derive from
/// the root, the opening category and the opening time, so a replay of the same input gives the
/// same records. Thread-safe (one lock); the streams topology keys findings by
/// <see cref="RootCauseResolver"/>'s root so one instance sees every finding of a root.
/// </summary>
public sealed class IncidentCorrelator
{
    /// <summary>The source key <see cref="Analyze"/> uses: one scan replaces every finding it reported before.</summary>
    public const string ScanSource = "*scan*";

    private readonly CorrelationOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();

    // What each source (a changed object, or a scan) reported last: contribution keys.
    private readonly Dictionary<string, HashSet<string>> sources = new(StringComparer.Ordinal);

    // Contribution key (root key + signal key) -> how many sources report it.
    private readonly Dictionary<string, Contribution> contributions = new(StringComparer.Ordinal);

    // Root key -> incident (open, or resolved and still within the reopen window).
    private readonly Dictionary<string, TrackedIncident> incidents = new(StringComparer.Ordinal);

    // Open incidents an earlier run published, by fingerprint, until the same root and category is published again.
    private readonly Dictionary<string, (Incident Incident, DateTimeOffset? Since)> carried = new(StringComparer.Ordinal);

    private DateTimeOffset now = DateTimeOffset.MinValue;

    /// <summary>Creates a correlator; throws <see cref="OptionsValidationException"/> for invalid options.</summary>
    public IncidentCorrelator(CorrelationOptions options, ILogger<IncidentCorrelator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new CorrelationOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CorrelationOptions), validation.Failures);
        }

        this.options = options;
        this.logger = logger ?? NullLogger<IncidentCorrelator>.Instance;
    }

    /// <summary>
    /// One evaluation round after <paramref name="changed"/> changed (or was deleted):
    /// <paramref name="findings"/> is everything the detectors conclude now for it. A finding this
    /// object reported before and no longer does has cleared.
    /// </summary>
    public IReadOnlyList<IncidentChange> Evaluate(ObjectRef changed, IEnumerable<Finding> findings, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return Evaluate(RecordKeys.ForObject(changed), findings, state);
    }

    /// <summary>
    /// One evaluation round for an arbitrary source key: <paramref name="findings"/> replaces what
    /// <paramref name="sourceKey"/> reported before. Then incidents quiet for
    /// <see cref="CorrelationOptions.ResolveAfter"/> resolve.
    /// </summary>
    public IReadOnlyList<IncidentChange> Evaluate(string sourceKey, IEnumerable<Finding> findings, IClusterState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceKey);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(state);
        var batch = new List<(Finding Finding, IncidentRoot Root)>();
        foreach (var finding in findings)
        {
            ArgumentNullException.ThrowIfNull(finding);
            batch.Add((finding, RootCauseResolver.Resolve(finding, state)));
        }

        CorrelationTelemetry.Findings.Add(batch.Count);
        lock (gate)
        {
            Tick(state.Now);
            if (batch.Count == 0 && !sources.ContainsKey(sourceKey))
            {
                // Nothing reported now or before (most evaluations: a healthy object): only lifecycles move.
                return incidents.Count == 0 ? [] : Sweep(new SortedDictionary<string, TrackedIncident>(StringComparer.Ordinal));
            }

            var claims = Claims(batch);
            var resolved = new Dictionary<string, (string SignalKey, Finding Finding, IncidentRoot Root)>(StringComparer.Ordinal);
            foreach (var (finding, found) in batch)
            {
                var root = found;
                if (Claimable(finding, root) && claims.TryGetValue(root.Key, out var claimer))
                {
                    root = root with { Root = claimer.Root, Key = claimer.Key };
                }

                var signalKey = $"{finding.Detector}|{RecordKeys.ForObject(finding.Subject)}|{finding.Category}";
                resolved[$"{root.Key}\u001f{signalKey}"] = (signalKey, finding, root);
            }

            var touched = new SortedDictionary<string, TrackedIncident>(StringComparer.Ordinal);
            var reopened = new HashSet<string>(StringComparer.Ordinal);
            var previous = sources.GetValueOrDefault(sourceKey) ?? [];
            foreach (var key in previous.Where(k => !resolved.ContainsKey(k)).Order(StringComparer.Ordinal))
            {
                Withdraw(key, touched);
            }

            foreach (var (key, (signalKey, finding, root)) in resolved.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (!previous.Contains(key))
                {
                    contributions[key] = contributions.TryGetValue(key, out var existing)
                        ? existing with { Sources = existing.Sources + 1 }
                        : new Contribution(root.Key, signalKey, 1);
                }

                var incident = IncidentFor(root, reopened);
                if (!incident.Report(signalKey, finding, root, now, options.MaxSignals))
                {
                    CorrelationTelemetry.Duplicates.Add(1);
                }

                touched[root.Key] = incident;
            }

            if (resolved.Count == 0)
            {
                sources.Remove(sourceKey);
            }
            else
            {
                sources[sourceKey] = [.. resolved.Keys];
            }

            var changes = new List<IncidentChange>();
            foreach (var incident in touched.Values)
            {
                if (!incident.IsPublished)
                {
                    if (Candidate(incident) is { } opened)
                    {
                        changes.Add(opened);
                    }
                }
                else if (reopened.Contains(incident.RootKey))
                {
                    changes.Add(Emit(incident, IncidentChangeKind.Reopened));
                }
                else if (incident.MateriallyChanged(options) || DueForRefresh(incident))
                {
                    changes.Add(Emit(incident, IncidentChangeKind.Updated));
                }
            }

            changes.AddRange(Sweep(touched));
            return changes;
        }
    }

    /// <summary>
    /// A one-shot scan (<c>chasi analyze</c>): <paramref name="findings"/> are all current findings;
    /// any finding an earlier scan reported and this one does not has cleared.
    /// </summary>
    public IReadOnlyList<IncidentChange> Analyze(IEnumerable<Finding> findings, IClusterState state) => Evaluate(ScanSource, findings, state);

    /// <summary>
    /// Moves state time to <paramref name="at"/> without new findings (a punctuator, when no
    /// object changes): resolves quiet incidents and publishes pending refreshes.
    /// </summary>
    public IReadOnlyList<IncidentChange> Advance(DateTimeOffset at)
    {
        lock (gate)
        {
            Tick(at);
            var changes = Sweep(new SortedDictionary<string, TrackedIncident>(StringComparer.Ordinal));
            changes.AddRange(ResolveStaleCarried(at));
            return changes;
        }
    }

    /// <summary>
    /// Open incidents an earlier run of this correlator published (kept by the caller, e.g. in a changelogged store).
    /// When the same root and category is published again it continues the earlier incident: same id, opening time and
    /// revision sequence, instead of a new incident for a cause that never went away. Resolved ones are ignored.
    /// </summary>
    public void Carry(IEnumerable<Incident> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        lock (gate)
        {
            foreach (var incident in earlier.Where(i => i.State == IncidentState.Open && i.Fingerprint.Length > 0))
            {
                if (!carried.TryGetValue(incident.Fingerprint, out var known) || known.Incident.Revision < incident.Revision)
                {
                    carried[incident.Fingerprint] = (incident, null);
                }
            }
        }
    }

    private Incident? Carried(string fingerprint) => carried.Remove(fingerprint, out var entry) ? entry.Incident : null;

    // A carried incident whose cause did not come back within ResolveAfter of the first Advance after the restart was
    // fixed meanwhile: it is resolved, so it does not stay open forever on the compacted topic.
    private List<IncidentChange> ResolveStaleCarried(DateTimeOffset at)
    {
        var changes = new List<IncidentChange>();
        foreach (var (fingerprint, (incident, since)) in carried.ToList())
        {
            if (since is null)
            {
                carried[fingerprint] = (incident, at);
            }
            else if (at - since.Value >= options.ResolveAfter)
            {
                carried.Remove(fingerprint);
                var resolved = incident.Clone();
                resolved.State = IncidentState.Resolved;
                resolved.Revision++;
                resolved.UpdatedAt = Timestamp.FromDateTimeOffset(at);
                resolved.ResolvedAt = Timestamp.FromDateTimeOffset(at);
                foreach (var signal in resolved.Signals)
                {
                    signal.Active = false;
                }

                changes.Add(new IncidentChange(IncidentChangeKind.Resolved, resolved));
            }
        }

        return changes;
    }

    /// <summary>The incidents known (open, and resolved ones still within the reopen window) as last published, by id.</summary>
    public IReadOnlyList<Incident> Incidents()
    {
        lock (gate)
        {
            return [.. incidents.Values.Where(i => i.Published is not null).Select(i => i.Published!.Clone()).OrderBy(i => i.Id, StringComparer.Ordinal)];
        }
    }

    private void Tick(DateTimeOffset at)
    {
        if (at < now)
        {
            logger.TimeWentBack(now, at);
            return;
        }

        now = at;
    }

    // A symptom rooted at its own workload (no cause elsewhere): another root that holds the workload may explain it.
    private static bool Claimable(Finding finding, IncidentRoot root) =>
        CategoryPrecedence.IsConsequence(finding.Category) && root.Key == RecordKeys.ForObject(root.Workload);

    // Workloads whose trouble another root explains: a finding rooted elsewhere in this batch, or an
    // open incident rooted elsewhere with an active signal on one of the workload's objects. The
    // most causal claimer wins (then the smallest root key, for determinism).
    private Dictionary<string, IncidentRoot> Claims(List<(Finding Finding, IncidentRoot Root)> batch)
    {
        var wanted = batch
            .Where(b => Claimable(b.Finding, b.Root))
            .Select(b => b.Root.Key)
            .ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return [];
        }

        var candidates = new List<(string Workload, IncidentRoot Root, IncidentCategory Category)>();
        foreach (var (finding, root) in batch)
        {
            var workloadKey = RecordKeys.ForObject(root.Workload);
            if (root.Key != workloadKey && wanted.Contains(workloadKey))
            {
                candidates.Add((workloadKey, root, finding.Category));
            }
        }

        foreach (var incident in incidents.Values.Where(i => i.State == IncidentState.Open && i.ActiveSignals > 0))
        {
            foreach (var (workloadKey, category) in incident.ActiveWorkloads())
            {
                if (wanted.Contains(workloadKey))
                {
                    candidates.Add((workloadKey, new IncidentRoot(incident.Root, incident.RootKey, incident.Root), category));
                }
            }
        }

        return candidates
            .GroupBy(c => c.Workload, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(c => CategoryPrecedence.Rank(c.Category)).ThenBy(c => c.Root.Key, StringComparer.Ordinal).First().Root,
                StringComparer.Ordinal);
    }

    private TrackedIncident IncidentFor(IncidentRoot root, HashSet<string> reopened)
    {
        if (incidents.TryGetValue(root.Key, out var incident))
        {
            if (incident.State != IncidentState.Resolved)
            {
                return incident;
            }

            if (incident.ResolvedAt is { } resolvedAt && now - resolvedAt <= options.ReopenWindow)
            {
                incident.Reopen();
                reopened.Add(root.Key);
                logger.IncidentReopened(incident.Id, root.Key, now - resolvedAt);
                return incident;
            }

            logger.IncidentForgotten(incident.Id);
        }

        incident = new TrackedIncident(root.Key, root.Root, now);
        incidents[root.Key] = incident;
        return incident;
    }

    private void Withdraw(string key, SortedDictionary<string, TrackedIncident> touched)
    {
        if (!contributions.TryGetValue(key, out var contribution))
        {
            return;
        }

        if (contribution.Sources > 1)
        {
            contributions[key] = contribution with { Sources = contribution.Sources - 1 };
            return;
        }

        contributions.Remove(key);
        if (incidents.TryGetValue(contribution.RootKey, out var incident))
        {
            incident.Clear(contribution.SignalKey, now);
            touched[contribution.RootKey] = incident;
        }
    }

    // Resolves incidents quiet long enough, publishes refreshes that are due (except for the
    // incidents this round already handled), and forgets incidents past the reopen window.
    private List<IncidentChange> Sweep(SortedDictionary<string, TrackedIncident> handled)
    {
        var changes = new List<IncidentChange>();
        foreach (var incident in incidents.Values.OrderBy(i => i.RootKey, StringComparer.Ordinal).ToList())
        {
            if (!incident.IsPublished)
            {
                if (!handled.ContainsKey(incident.RootKey) && Candidate(incident) is { } opened)
                {
                    changes.Add(opened);
                }
            }
            else if (incident.State == IncidentState.Open && incident.QuietSince is { } quietSince && now - quietSince >= options.ResolveAfter)
            {
                incident.Resolve();
                logger.IncidentResolved(incident.Id, incident.RootKey, quietSince);
                changes.Add(Emit(incident, IncidentChangeKind.Resolved));
            }
            else if (incident.State == IncidentState.Resolved && incident.ResolvedAt is { } resolvedAt && now - resolvedAt > options.ReopenWindow)
            {
                incidents.Remove(incident.RootKey);
                logger.IncidentForgotten(incident.Id);
            }
            else if (!handled.ContainsKey(incident.RootKey) && incident.State == IncidentState.Open && DueForRefresh(incident))
            {
                changes.Add(Emit(incident, IncidentChangeKind.Updated));
            }
        }

        return changes;
    }

    // An incident not yet published: dropped without a record once nothing is active in it (its findings cleared, or
    // moved to the incident that explains them); held while it only holds symptoms (GroupWait, so that a cause found in the
    // same burst or soon after can claim them, and for as long as a published incident holds its workload); else opened.
    private IncidentChange? Candidate(TrackedIncident incident)
    {
        if (incident.ActiveSignals == 0)
        {
            incidents.Remove(incident.RootKey);
            logger.CandidateDropped(incident.RootKey);
            return null;
        }

        if (incident.OnlyConsequences && (now - incident.CreatedAt < options.GroupWait || ClaimedElsewhere(incident)))
        {
            return null;
        }

        return Emit(incident, IncidentChangeKind.Opened);
    }

    private bool ClaimedElsewhere(TrackedIncident candidate) =>
        incidents.Values.Any(i => i != candidate && i.IsPublished && i.State == IncidentState.Open && i.ActiveSignals > 0
            && i.ActiveWorkloads().Any(w => w.Workload == candidate.RootKey));

    // A quiet incident (no active signal) is not refreshed: its next record is the resolution,
    // or the update when a signal comes back.
    private bool DueForRefresh(TrackedIncident incident) =>
        incident.Dirty && incident.IsPublished && incident.ActiveSignals > 0 && now - incident.LastPublishedAt >= options.RefreshInterval;

    private IncidentChange Emit(TrackedIncident incident, IncidentChangeKind kind)
    {
        var published = incident.Publish(options, now, Carried);
        if (kind == IncidentChangeKind.Opened)
        {
            logger.IncidentOpened(published.Id, published.Category, incident.RootKey, published.Layer.ToString(), string.Join(',', published.Tenants));
        }
        else if (kind == IncidentChangeKind.Updated)
        {
            logger.IncidentUpdated(published.Id, published.Revision, published.Category, published.Severity.ToString(), published.SignalCount);
        }

        CorrelationTelemetry.IncidentChanges.Add(
            1,
            new KeyValuePair<string, object?>(CorrelationTelemetryNames.KindTag, kind.ToString()),
            new KeyValuePair<string, object?>(CorrelationTelemetryNames.CategoryTag, published.Category));
        return new IncidentChange(kind, published.Clone());
    }

    private sealed record Contribution(string RootKey, string SignalKey, int Sources);
}
