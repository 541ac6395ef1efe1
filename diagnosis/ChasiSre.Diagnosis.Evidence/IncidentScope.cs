using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// What an incident is about: the tenants it affects and the objects related to it (subject, affected objects, the
/// subjects and causes of its signals, and the twins of all of them). Evidence of any other tenant is out of scope.
/// </summary>
internal sealed class IncidentScope
{
    private readonly HashSet<string> tenants;
    private readonly Dictionary<string, int> rank = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectRef> faces = new(StringComparer.Ordinal);

    public IncidentScope(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        tenants = new HashSet<string>(incident.Tenants.Where(t => t.Length > 0), StringComparer.Ordinal);
        if (incident.Tenant.Length > 0)
        {
            tenants.Add(incident.Tenant);
        }

        var related = new List<ObjectRef>();
        void Add(ObjectRef? reference)
        {
            if (reference is null || reference.Kind.Length == 0 || reference.Name.Length == 0)
            {
                return;
            }

            if (rank.TryAdd(Key(reference), related.Count))
            {
                related.Add(reference);
            }
        }

        Add(incident.Subject);
        foreach (var affected in incident.Affected)
        {
            Add(affected);
        }

        foreach (var signal in incident.Signals)
        {
            Add(signal.Subject);
            Add(signal.Cause);
        }

        // Twins last: the object as the incident names it comes before its other face.
        foreach (var reference in related.ToList())
        {
            Add(Twin(reference));
        }

        Related = related;
        PreferredLayer = incident.Subject?.Layer ?? Layer.Unspecified;
        Learn(related);
    }

    /// <summary>The layer whose face of a twinned object is shown first: the subject's.</summary>
    public Layer PreferredLayer { get; }

    /// <summary>Tenants the incident affects; empty for an incident of platform objects only.</summary>
    public IReadOnlyCollection<string> Tenants => tenants;

    /// <summary>Related objects, most relevant first (the subject first).</summary>
    public IReadOnlyList<ObjectRef> Related { get; }

    /// <summary>
    /// True when a record of <paramref name="reference"/> may be shown for this incident: its tenant is one the
    /// incident affects, or it has none (a platform-owned host object such as a Node: no tenant's data).
    /// </summary>
    public bool InScope(ObjectRef? reference) =>
        reference is not null && (reference.Tenant.Length == 0 || tenants.Contains(reference.Tenant));

    /// <summary>Position of <paramref name="reference"/> among the related objects (0 = subject), or <see cref="int.MaxValue"/>.</summary>
    public int Rank(ObjectRef? reference) =>
        reference is not null && rank.TryGetValue(Key(reference), out var position) ? position : int.MaxValue;

    /// <summary>
    /// Remembers the twin pairs named by <paramref name="references"/>, so that a record about either face of an object
    /// (an event about the host twin whose reference carries no twin) is shown on one face.
    /// </summary>
    public void Learn(IEnumerable<ObjectRef> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        foreach (var reference in references)
        {
            if (reference is null || Twin(reference) is not { } twin)
            {
                continue;
            }

            var shown = reference.Layer == PreferredLayer || twin.Layer != PreferredLayer ? reference : twin;
            faces.TryAdd(Key(reference), shown);
            faces.TryAdd(Key(twin), shown);
        }
    }

    /// <summary>The face an object is shown on: itself, or its twin in the subject's layer.</summary>
    public ObjectRef Face(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return faces.TryGetValue(Key(reference), out var shown) ? shown : reference;
    }

    /// <summary>True when <paramref name="reference"/> is the face its object is shown on.</summary>
    public bool IsPreferredFace(ObjectRef reference) => Key(Face(reference)) == Key(reference);

    /// <summary>
    /// Sort key of an object: its relevance (the better of its own rank and its twin's), then the face in the subject's
    /// layer before the other one.
    /// </summary>
    public long Order(ObjectRef? reference)
    {
        if (reference is null)
        {
            return long.MaxValue;
        }

        var best = Math.Min(Rank(reference), Rank(Face(reference)));
        if (Twin(reference) is { } twin)
        {
            best = Math.Min(best, Rank(twin));
        }

        return (best * 2L) + (IsPreferredFace(reference) ? 0 : 1);
    }

    /// <summary>Identity of an object within the incident: cluster (with its host placement), kind, namespace, name.</summary>
    public static string Key(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return $"{reference.Cluster}\u001f{reference.Kind}\u001f{reference.Namespace}\u001f{reference.Name}";
    }

    /// <summary>The twin as a full reference: the twin carries only its own placement, the other layer is implied.</summary>
    public static ObjectRef? Twin(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Twin is not { } twin || twin.Name.Length == 0)
        {
            return null;
        }

        var copy = twin.Clone();
        if (copy.Kind.Length == 0)
        {
            copy.Kind = reference.Kind;
        }

        if (copy.ApiVersion.Length == 0)
        {
            copy.ApiVersion = reference.ApiVersion;
        }

        if (copy.Tenant.Length == 0)
        {
            copy.Tenant = reference.Tenant;
        }

        if (copy.Layer == Layer.Unspecified)
        {
            copy.Layer = reference.Layer == Layer.Host ? Layer.Virtual : Layer.Host;
        }

        copy.Twin = null;
        return copy;
    }
}
