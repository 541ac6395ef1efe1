using System.Collections.Immutable;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// The kinds and resources the simulated API server knows, for routing, discovery and
/// <see cref="ApiServerSimulator.Apply"/>. Starts with the built-in Kubernetes resources;
/// custom resources are added with <c>RegisterCustomResource</c> (they then appear in
/// discovery, as they would once their CRD is established). Thread-safe.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private ImmutableArray<ResourceType> _all;
    private ImmutableDictionary<(string ApiVersion, string Kind), ResourceType> _byKind;
    private ImmutableDictionary<(string Group, string Version, string Plural), ResourceType> _byResource;

    internal ResourceCatalog()
    {
        _all = [];
        _byKind = ImmutableDictionary<(string, string), ResourceType>.Empty;
        _byResource = ImmutableDictionary<(string, string, string), ResourceType>.Empty;
        foreach (var type in BuiltInResources.All)
        {
            Add(type);
        }
    }

    /// <summary>Raised after a resource was registered (the server bumps its discovery).</summary>
    internal event Action<ResourceType>? Registered;

    /// <summary>Every resource, built-in first, in registration order.</summary>
    public IReadOnlyList<ResourceType> All => _all;

    /// <summary>Registers a custom resource; it is served and discovered from now on.</summary>
    /// <exception cref="InvalidOperationException">The kind or resource is already registered.</exception>
    public ResourceType RegisterCustomResource(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Group.Length == 0 || !type.Group.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A custom resource needs a DNS-style group such as 'example.com' (got '{type.Group}').", nameof(type));
        }

        Add(type);
        Registered?.Invoke(type);
        return type;
    }

    /// <summary>Registers a custom resource from its parts, e.g. <c>core.k8sgpt.ai</c>, <c>v1alpha1</c>, <c>Result</c>, <c>results</c>.</summary>
    public ResourceType RegisterCustomResource(string group, string version, string kind, string plural, bool namespaced = true, IReadOnlyList<string>? shortNames = null, IReadOnlyList<string>? categories = null) =>
        RegisterCustomResource(new ResourceType(group, version, kind, plural, namespaced)
        {
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
        });

    public bool TryGetByKind(string apiVersion, string kind, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceType? type) =>
        _byKind.TryGetValue((apiVersion, kind), out type);

    public bool TryGetByResource(string group, string version, string plural, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceType? type) =>
        _byResource.TryGetValue((group, version, plural), out type);

    /// <summary>The resource of a kind, or a clear exception naming what is registered.</summary>
    public ResourceType GetByKind(string apiVersion, string kind)
    {
        if (TryGetByKind(apiVersion, kind, out var type))
        {
            return type;
        }

        var known = _all.Where(t => t.Kind == kind).Select(t => t.ApiVersion).ToList();
        var hint = known.Count > 0
            ? $" Kind {kind} is registered for {string.Join(", ", known)}."
            : " Register it with Resources.RegisterCustomResource(...) first.";
        throw new UnknownKindException($"The simulated API server does not know kind {kind} in {apiVersion}.{hint}");
    }

    /// <summary>The group/versions served, core first, in registration order.</summary>
    internal IEnumerable<(string Group, string Version)> GroupVersions() =>
        _all.Select(t => (t.Group, t.Version)).Distinct();

    /// <summary>
    /// Serves exactly <paramref name="types"/> for the CustomResourceDefinition <paramref name="definitionName"/>: the
    /// resources it defined before are removed first (a CRD update may add or drop versions). Resources another CRD or
    /// the server already serves are refused before anything changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">A kind or resource is already served by something else.</exception>
    internal void ReplaceDefinition(string definitionName, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            var kept = _all.Where(t => t.DefinitionName != definitionName).ToList();
            foreach (var type in types)
            {
                if (kept.Any(t => (t.ApiVersion == type.ApiVersion && t.Kind == type.Kind) || (t.Group == type.Group && t.Version == type.Version && t.Plural == type.Plural)))
                {
                    throw new InvalidOperationException($"{type.GroupResource} ({type.Kind} in {type.ApiVersion}) is already served by the API server.");
                }
            }

            _all = [.. kept];
            _byKind = kept.ToImmutableDictionary(t => (t.ApiVersion, t.Kind));
            _byResource = kept.ToImmutableDictionary(t => (t.Group, t.Version, t.Plural));
            foreach (var type in types)
            {
                Add(type);
            }
        }

        foreach (var type in types)
        {
            Registered?.Invoke(type);
        }
    }

    /// <summary>The resources a CustomResourceDefinition defines (empty when none or not established).</summary>
    internal IReadOnlyList<ResourceType> DefinedBy(string definitionName) => _all.Where(t => t.DefinitionName == definitionName).ToList();

    private void Add(ResourceType type)
    {
        lock (_gate)
        {
            if (_byKind.ContainsKey((type.ApiVersion, type.Kind)))
            {
                throw new InvalidOperationException($"Kind {type.Kind} in {type.ApiVersion} is already registered.");
            }

            if (_byResource.ContainsKey((type.Group, type.Version, type.Plural)))
            {
                throw new InvalidOperationException($"Resource {type.Plural} in {type.ApiVersion} is already registered.");
            }

            _byKind = _byKind.Add((type.ApiVersion, type.Kind), type);
            _byResource = _byResource.Add((type.Group, type.Version, type.Plural), type);
            _all = _all.Add(type);
        }
    }
}
