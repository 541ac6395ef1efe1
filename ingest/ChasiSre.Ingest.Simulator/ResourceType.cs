namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// One resource the simulated API server serves: its group/version, kind, plural (the URL
/// segment) and scope, plus what discovery advertises about it.
/// </summary>
public sealed record ResourceType
{
    public ResourceType(string group, string version, string kind, string plural, bool namespaced)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(plural);
        Group = group;
        Version = version;
        Kind = kind;
        Plural = plural;
        Namespaced = namespaced;
        Singular = kind.ToLowerInvariant();
    }

    /// <summary>API group; empty for the core group.</summary>
    public string Group { get; }

    public string Version { get; }

    public string Kind { get; }

    /// <summary>Resource name in URLs, e.g. <c>pods</c>.</summary>
    public string Plural { get; }

    public bool Namespaced { get; }

    public string Singular { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Verbs advertised by discovery; the simulator serves all of them.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>
    /// Subresources advertised by discovery: <c>log</c> for pods, <c>status</c> (writes to the object then
    /// keep its status; writes to <c>/status</c> change only the status) and <c>scale</c> (autoscaling/v1 Scale).
    /// </summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary><c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary><c>pods</c>, <c>deployments.apps</c>: the group-qualified resource name.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>
    /// Objects of resources with the same storage key share one store (as core/v1 and
    /// events.k8s.io/v1 Events share etcd); defaults to <see cref="GroupResource"/>.
    /// </summary>
    internal string StorageKey { get; init; } = "";

    /// <summary>The <c>openAPIV3Schema</c> of the CustomResourceDefinition version that defines this resource, or null.</summary>
    internal System.Text.Json.Nodes.JsonObject? Schema { get; init; }

    /// <summary>The name of the CustomResourceDefinition that defines this resource (<c>plural.group</c>), or null.</summary>
    internal string? DefinitionName { get; init; }

    internal string EffectiveStorageKey => StorageKey.Length == 0 ? GroupResource : StorageKey;
}
