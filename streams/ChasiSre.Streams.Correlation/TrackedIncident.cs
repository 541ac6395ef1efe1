using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Correlation;

/// <summary>The correlator's view of one incident: its root, its signals and what was last published.</summary>
internal sealed class TrackedIncident(string rootKey, ObjectRef root, DateTimeOffset createdAt)
{
    // Objects that reject or limit a tenant's workload rather than run it: the incident is about
    // the blocked workload while there is exactly one.
    private static readonly HashSet<string> PolicyKinds = new(
        ["ResourceQuota", "LimitRange", "Namespace", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "PodSecurityPolicy"],
        StringComparer.Ordinal);

    private readonly Dictionary<string, TrackedSignal> signals = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ObjectRef> workloads = new(StringComparer.Ordinal);
    private readonly SortedSet<string> tenants = new(StringComparer.Ordinal);

    public string RootKey { get; } = rootKey;

    public ObjectRef Root { get; } = root;

    /// <summary>When the correlator first saw a finding of this root (state time); the group wait runs from here.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Every active signal is a symptom category (<see cref="CategoryPrecedence.IsConsequence"/>).</summary>
    public bool OnlyConsequences => signals.Values.Where(s => s.Active).All(s => CategoryPrecedence.IsConsequence(s.Finding.Category));

    /// <summary>Empty until first published.</summary>
    public string Id { get; private set; } = "";

    public string Fingerprint { get; private set; } = "";

    public DateTimeOffset OpenedAt { get; private set; }

    public long Revision { get; private set; }

    public IncidentState State { get; private set; } = IncidentState.Open;

    /// <summary>When the last active signal cleared; null while one is active.</summary>
    public DateTimeOffset? QuietSince { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public DateTimeOffset LastPublishedAt { get; private set; }

    /// <summary>
    /// The signals (which, and whether active) or their total differ from the last published
    /// record: a change that does not need publishing at once. Flapping back to the published
    /// state is not a change.
    /// </summary>
    public bool Dirty => signalsHash != publishedSignalsHash || SignalCount != publishedSignalCount || objectsSeen.Count != publishedObjectsSeen || evidenceRevision != publishedEvidenceRevision;

    // New evidence on a known signal (log lines of the crashed container arriving after the pod
    // went into CrashLoopBackOff) is published with the next refresh, not at once.
    private int evidenceRevision;
    private int publishedEvidenceRevision;

    public int SignalCount { get; private set; }

    public int ActiveSignals { get; private set; }

    public Incident? Published { get; private set; }

    private string publishedDigest = "";
    private IncidentCategory category;
    private Severity severity;
    private bool derived;

    // XOR over the signals of a hash of (key, active): order-free and updated in O(1).
    private ulong signalsHash;
    private ulong publishedSignalsHash;
    private int publishedSignalCount;

    // Every object a finding named (subjects, related objects, twins), to notice the affected set
    // growing; bounded, past the bound growth is no longer a reason to refresh.
    private const int MaxObjectsSeen = 10_000;
    private readonly HashSet<string> objectsSeen = new(StringComparer.Ordinal);
    private int publishedObjectsSeen;

    public bool IsPublished => Published is not null;

    /// <summary>Adds or refreshes a signal; false when it repeated an active signal unchanged in kind.</summary>
    public bool Report(string signalKey, Finding finding, IncidentRoot root, DateTimeOffset now, int maxSignals)
    {
        AddTenant(finding.Subject.Tenant);
        AddTenant(finding.Subject.Twin?.Tenant);
        See(finding.Subject);
        foreach (var related in finding.Related)
        {
            AddTenant(related.Tenant);
            AddTenant(related.Twin?.Tenant);
            See(related);
        }

        AddTenant(root.Workload.Tenant);
        AddTenant(root.Workload.Twin?.Tenant);
        AddTenant(Root.Tenant);
        var workloadKey = RecordKeys.ForObject(root.Workload);
        if (workloadKey != RootKey)
        {
            workloads.TryAdd(workloadKey, root.Workload);
        }

        QuietSince = null;
        if (signals.TryGetValue(signalKey, out var signal))
        {
            var before = (signal.Finding.Severity, signal.Finding.Reason, signal.Finding.Message);
            if (!signal.Finding.Evidence.SequenceEqual(finding.Evidence, StringComparer.Ordinal))
            {
                evidenceRevision++;
            }

            if (signal.Report(finding, workloadKey, now))
            {
                signalsHash ^= Hash(signalKey, false) ^ Hash(signalKey, true);
                ActiveSignals++;
                return true;
            }

            return before != (finding.Severity, finding.Reason, finding.Message);
        }

        signals[signalKey] = new TrackedSignal(signalKey, finding, workloadKey, now);
        signalsHash ^= Hash(signalKey, true);
        SignalCount++;
        ActiveSignals++;
        Prune(maxSignals);
        return true;
    }

    /// <summary>Workloads (other than the root) with an active signal, and that signal's category.</summary>
    public IEnumerable<(string Workload, IncidentCategory Category)> ActiveWorkloads() =>
        signals.Values
            .Where(s => s.Active && s.WorkloadKey != RootKey)
            .Select(s => (s.WorkloadKey, s.Finding.Category));

    public void Clear(string signalKey, DateTimeOffset now)
    {
        if (!signals.TryGetValue(signalKey, out var signal) || !signal.Active)
        {
            return;
        }

        signal.Clear(now);
        signalsHash ^= Hash(signalKey, true) ^ Hash(signalKey, false);
        ActiveSignals--;
        if (ActiveSignals == 0)
        {
            QuietSince = now;
        }
    }

    public void Reopen()
    {
        State = IncidentState.Open;
        ResolvedAt = null;
    }

    public void Resolve()
    {
        State = IncidentState.Resolved;
        ResolvedAt = QuietSince;
    }

    /// <summary>True when what the incident is (state, category, severity, subject, tenants, workloads, signal kinds) differs from what was published.</summary>
    public bool MateriallyChanged(CorrelationOptions options) => Digest(options) != publishedDigest;

    /// <summary>Builds the next revision to publish and remembers it.</summary>
    /// <param name="options">Correlation settings.</param>
    /// <param name="now">The time of the revision.</param>
    /// <param name="carried">The open incident an earlier run published for a fingerprint, if any: its id, opening
    /// time and revisions continue (a restart does not make a known incident a new one).</param>
    public Incident Publish(CorrelationOptions options, DateTimeOffset now, Func<string, Incident?>? carried = null)
    {
        Derive(options);
        var subject = Subject();
        if (!IsPublished)
        {
            Fingerprint = IncidentIds.Fingerprint(RootKey, category.ToString());
            if (carried?.Invoke(Fingerprint) is { } earlier)
            {
                OpenedAt = earlier.OpenedAt?.ToDateTimeOffset() ?? now;
                Id = earlier.Id;
                Revision = earlier.Revision;
            }
            else
            {
                OpenedAt = now;
                Id = IncidentIds.Incident(Fingerprint, OpenedAt);
            }
        }

        Revision++;
        var top = Top();
        var incident = new Incident
        {
            Id = Id,
            Tenant = tenants.Count == 1 ? tenants.Min! : "",
            Title = IncidentText.Title(subject, category),
            Severity = severity,
            State = State,
            Subject = subject.Clone(),
            OpenedAt = Timestamp.FromDateTimeOffset(OpenedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(now),
            Revision = Revision,
            Fingerprint = Fingerprint,
            SignalCount = SignalCount,
            Category = category.ToString(),
            Layer = LayerOf(top),
            Summary = IncidentText.Summary(subject, category, tenants.Count, top?.Finding),
        };
        if (ResolvedAt is { } resolvedAt)
        {
            incident.ResolvedAt = Timestamp.FromDateTimeOffset(resolvedAt);
        }

        incident.Tenants.AddRange(tenants);
        incident.Affected.AddRange(Affected(subject, options.MaxAffected));
        incident.Signals.AddRange(signals.Values
            .OrderByDescending(s => s.Active)
            .ThenByDescending(s => s.LastChange)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Take(options.MaxSignals)
            .Select(s => s.ToProto()));

        Published = incident;
        publishedDigest = Digest(options);
        LastPublishedAt = now;
        publishedSignalsHash = signalsHash;
        publishedSignalCount = SignalCount;
        publishedObjectsSeen = objectsSeen.Count;
        publishedEvidenceRevision = evidenceRevision;
        return incident;
    }

    /// <summary>The object the incident is about: the root, or the single workload a policy object blocks.</summary>
    public ObjectRef Subject() =>
        PolicyKinds.Contains(Root.Kind) && workloads.Count == 1 ? workloads.Values.First() : Root;

    private string Digest(CorrelationOptions options)
    {
        Derive(options);
        var kinds = string.Join(',', signals.Values.Select(s => s.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return string.Join('\n', State, category, severity, LayerOf(Top()), RecordKeys.ForObject(Subject()), string.Join(',', tenants), string.Join(',', workloads.Keys), kinds);
    }

    // Category and severity come from the active signals; while none is active they keep their last values.
    private void Derive(CorrelationOptions options)
    {
        var active = signals.Values.Where(s => s.Active).ToList();
        if (active.Count == 0)
        {
            if (derived || signals.Count == 0)
            {
                return;
            }

            active = [.. signals.Values];
        }

        derived = true;

        category = Naming(active).Select(s => s.Finding.Category).Aggregate(CategoryPrecedence.MostCausal);
        var max = active.Max(s => s.Finding.Severity);
        if (tenants.Count >= options.MultiTenantEscalation && max is > Severity.Unspecified and < Severity.Critical)
        {
            max++;
        }

        severity = max;
    }

    private TrackedSignal? Top()
    {
        var pool = signals.Values.Where(s => s.Active).ToList();
        if (pool.Count == 0)
        {
            pool = [.. signals.Values];
        }

        return Naming(pool)
            .OrderBy(s => CategoryPrecedence.Rank(s.Finding.Category))
            .ThenByDescending(s => s.Finding.Severity)
            .ThenBy(s => s.FirstSeen)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    // The signals that name the incident: those about the root itself (its own findings, or findings of its own pods) when
    // there are any, else all. Symptoms the root explains in other workloads (lookups failing in every pod while CoreDNS
    // cannot be scheduled) stay signals without renaming the incident after themselves.
    private List<TrackedSignal> Naming(List<TrackedSignal> pool)
    {
        var own = pool.Where(s => s.WorkloadKey == RootKey || RecordKeys.ForObject(s.Finding.Subject) == RootKey).ToList();
        return own.Count > 0 ? own : pool;
    }

    // Where the cause lives: the naming signal's cause when it has one (a vCluster pod the host scheduler cannot place names
    // its host twin, so the incident about the tenant's workload is a host-layer one), else the root.
    private Layer LayerOf(TrackedSignal? top) =>
        top?.Finding.Cause is { Layer: not Layer.Unspecified } cause ? cause.Layer : LayerOf(Root);

    // Root (when it is not the subject), then workloads, then the signals' subjects and related
    // objects with their twins, and causes; each object once, in key order, at most max.
    private List<ObjectRef> Affected(ObjectRef subject, int max)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { RecordKeys.ForObject(subject) };
        var result = new List<ObjectRef>();
        void Add(ObjectRef reference)
        {
            if (result.Count < max && seen.Add(RecordKeys.ForObject(reference)))
            {
                result.Add(reference.Clone());
            }
        }

        Add(Root);
        foreach (var workload in workloads.Values)
        {
            Add(workload);
        }

        var objects = new SortedDictionary<string, ObjectRef>(StringComparer.Ordinal);
        void Collect(ObjectRef reference)
        {
            objects.TryAdd(RecordKeys.ForObject(reference), reference);
            if (reference.Twin is { } twin)
            {
                var other = twin.Clone();
                var self = reference.Clone();
                self.Twin = null;
                other.Twin = self;
                objects.TryAdd(RecordKeys.ForObject(other), other);
            }
        }

        foreach (var signal in signals.Values)
        {
            Collect(signal.Finding.Subject);
            foreach (var related in signal.Finding.Related)
            {
                Collect(related);
            }

            if (signal.Finding.Cause is { } cause)
            {
                objects.TryAdd(RecordKeys.ForObject(cause), cause);
            }
        }

        foreach (var reference in objects.Values)
        {
            Add(reference);
        }

        return result;
    }

    // Keeps every active signal and the most recent cleared ones, up to maxSignals in all.
    private void Prune(int maxSignals)
    {
        var excess = signals.Count - Math.Max(maxSignals, ActiveSignals);
        if (excess <= 0)
        {
            return;
        }

        foreach (var stale in signals.Values.Where(s => !s.Active).OrderBy(s => s.LastChange).ThenBy(s => s.Key, StringComparer.Ordinal).Take(excess).ToList())
        {
            signals.Remove(stale.Key);
            signalsHash ^= Hash(stale.Key, false);
        }
    }

    // FNV-1a, 64 bit, of the key and the active flag.
    private static ulong Hash(string key, bool active)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (hash ^ (active ? 1UL : 2UL)) * 1099511628211UL;
    }

    private void See(ObjectRef reference)
    {
        if (objectsSeen.Count < MaxObjectsSeen)
        {
            objectsSeen.Add(RecordKeys.ForObject(reference));
        }
    }

    private void AddTenant(string? tenant)
    {
        if (!string.IsNullOrEmpty(tenant))
        {
            tenants.Add(tenant);
        }
    }

    private static Layer LayerOf(ObjectRef root) => root switch
    {
        { Layer: not Layer.Unspecified } => root.Layer,
        { Kind: "BusinessAdapter" } => Layer.Business,
        { HostNamespace.Length: > 0 } => Layer.Virtual,
        _ => Layer.Host,
    };
}
