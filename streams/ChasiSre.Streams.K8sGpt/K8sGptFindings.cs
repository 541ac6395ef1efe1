using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// Turns a k8sgpt result into a <see cref="Finding"/> about the object it names. Every text that
/// goes into the finding (message, evidence, details, parent) is masked with the result's sensitive
/// values; the subject's own kind, namespace and name are identity and kept as they are (ingest
/// publishes them on <c>chasi.k8s.objects.v1</c> anyway).
/// </summary>
public static class K8sGptFindings
{
    /// <summary>Attribute saying where a finding came from; its value is <see cref="SourceValue"/>.</summary>
    public const string SourceAttribute = "source";

    /// <summary>The value of <see cref="SourceAttribute"/>.</summary>
    public const string SourceValue = "k8sgpt";

    /// <summary>Longest details text kept in the <c>k8sgpt.details</c> attribute.</summary>
    public const int MaxDetailsLength = 2000;

    /// <summary>
    /// The finding for <paramref name="result"/>, or null when it reports no error (a result without
    /// errors is k8sgpt's "nothing wrong").
    /// </summary>
    /// <param name="detector">Detector name for the finding.</param>
    /// <param name="result">What k8sgpt found.</param>
    /// <param name="near">An object of the same cluster (the Result object, or the analyzer's configured identity): cluster, layer and host fields are taken from it.</param>
    /// <param name="state">When given, the subject's reference is taken from it (tenant, uid, twin) when the object is there.</param>
    /// <param name="attributes">Extra attributes (analyzer name, Result object name).</param>
    public static Finding? Create(string detector, K8sGptResult result, ObjectRef near, IClusterState? state = null, IReadOnlyDictionary<string, string>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detector);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(near);
        var texts = result.Errors.Select(e => e.MaskedText).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (texts.Count == 0 || result.Kind.Length == 0 || result.ObjectName.Length == 0)
        {
            return null;
        }

        var classification = K8sGptCategories.Classify(result.Kind, texts);
        var subject = Subject(classification, result, near, state);
        var described = subject.Namespace.Length == 0 ? $"{subject.Kind} {subject.Name}" : $"{subject.Kind} {subject.Namespace}/{subject.Name}";
        var message = Cut($"k8sgpt: {described}: {texts[0]}{(texts.Count > 1 ? $" (and {texts.Count - 1} more)" : "")}");
        var evidence = texts.Select(t => Cut($"k8sgpt {result.Kind} {result.Name}: {t}")).ToList();

        var merged = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SourceAttribute] = SourceValue,
            ["k8sgpt.kind"] = result.Kind,
        };
        var parent = K8sGptMasking.Mask(result.ParentObject, result.Sensitive);
        if (parent.Length > 0)
        {
            merged["k8sgpt.parentObject"] = parent;
        }

        var details = K8sGptMasking.Mask(result.Details, result.Sensitive).Trim();
        if (details.Length > 0)
        {
            merged["k8sgpt.details"] = details.Length <= MaxDetailsLength ? details : string.Concat(details.AsSpan(0, MaxDetailsLength - 1), "…");
        }

        foreach (var (key, value) in attributes ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            merged[key] = value;
        }

        return new Finding(detector, classification.Category, subject, classification.Severity, classification.Reason, message, evidence)
        {
            Attributes = merged,
            Related = Parent(parent, subject, state) is { } owner ? [owner] : [],
        };
    }

    private static ObjectRef Subject(K8sGptClassification classification, K8sGptResult result, ObjectRef near, IClusterState? state)
    {
        var objectNamespace = result.Namespace;
        if (state?.Find(near.Cluster, classification.Kind, objectNamespace, result.ObjectName) is { } found)
        {
            return found.Ref;
        }

        return Sibling(near, classification.ApiVersion, classification.Kind, objectNamespace, result.ObjectName);
    }

    /// <summary>k8sgpt names owners as <c>Kind/name</c> in the subject's namespace.</summary>
    private static ObjectRef? Parent(string parent, ObjectRef subject, IClusterState? state)
    {
        var slash = parent.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == parent.Length - 1 || parent.IndexOf('/', slash + 1) >= 0)
        {
            return null;
        }

        var kind = K8sGptCategories.Classify(parent[..slash], []);
        var name = parent[(slash + 1)..];
        var objectNamespace = subject.Namespace.Length == 0 ? null : subject.Namespace;
        return state?.Find(subject.Cluster, kind.Kind, objectNamespace, name)?.Ref
            ?? Sibling(subject, kind.ApiVersion, kind.Kind, objectNamespace, name);
    }

    /// <summary>
    /// An object next to <paramref name="near"/>. The tenant is copied inside a vCluster (one tenant
    /// per vCluster) and for objects in <paramref name="near"/>'s own namespace; on the host another
    /// namespace may belong to another tenant, so it stays empty for the correlator to resolve.
    /// </summary>
    private static ObjectRef Sibling(ObjectRef near, string apiVersion, string kind, string? objectNamespace, string name) => new()
    {
        Cluster = near.Cluster,
        Tenant = near.Layer == Layer.Virtual || (objectNamespace ?? "") == near.Namespace ? near.Tenant : "",
        Layer = near.Layer,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = objectNamespace ?? "",
        Name = name,
        HostCluster = near.HostCluster,
        HostNamespace = near.HostNamespace,
    };

    private static string Cut(string text)
    {
        const int max = 300;
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max - 1), "…");
    }
}
