namespace ChasiSre.Ingest.Simulator;

internal enum RouteKind
{
    NotFound,
    Root,
    Version,
    Health,
    CoreVersions,
    GroupList,
    Group,
    ResourceList,
    Collection,
    Item,
    Subresource,
    OpenApiRoot,
    OpenApiGroupVersion,
}

/// <summary>A request path, classified against the catalog.</summary>
internal sealed record ApiRoute(RouteKind Kind, SimulatorVerb Verb, ResourceType? Type = null, string? Namespace = null, string? Name = null, string? Subresource = null, string? Group = null, string? Version = null)
{
    public static ApiRoute Parse(string method, string path, bool watch, ResourceCatalog catalog)
    {
        var s = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var read = method is "GET";
        switch (s)
        {
            case []:
                return new ApiRoute(RouteKind.Root, SimulatorVerb.Discovery);
            case ["version"]:
                return new ApiRoute(RouteKind.Version, SimulatorVerb.Discovery);
            case ["healthz" or "readyz" or "livez", ..]:
                return new ApiRoute(RouteKind.Health, SimulatorVerb.Health);
            case ["openapi", "v3"]:
                return new ApiRoute(RouteKind.OpenApiRoot, SimulatorVerb.Discovery);
            case ["openapi", "v3", .. var gv]:
                return new ApiRoute(RouteKind.OpenApiGroupVersion, SimulatorVerb.Discovery, Group: string.Join('/', gv));
            case ["openapi", ..]:
                return new ApiRoute(RouteKind.NotFound, SimulatorVerb.Discovery);
            case ["api"]:
                return new ApiRoute(RouteKind.CoreVersions, SimulatorVerb.Discovery);
            case ["apis"]:
                return new ApiRoute(RouteKind.GroupList, SimulatorVerb.Discovery);
            case ["api", var v]:
                return new ApiRoute(RouteKind.ResourceList, SimulatorVerb.Discovery, Group: "", Version: v);
            case ["apis", var g]:
                return new ApiRoute(RouteKind.Group, SimulatorVerb.Discovery, Group: g);
            case ["apis", var g, var v]:
                return new ApiRoute(RouteKind.ResourceList, SimulatorVerb.Discovery, Group: g, Version: v);
            case ["api", var v, .. var rest]:
                return ParseResource("", v, rest, method, read, watch, catalog);
            case ["apis", var g, var v, .. var rest]:
                return ParseResource(g, v, rest, method, read, watch, catalog);
            default:
                return new ApiRoute(RouteKind.NotFound, SimulatorVerb.Other);
        }
    }

    private static ApiRoute ParseResource(string group, string version, string[] rest, string method, bool read, bool watch, ResourceCatalog catalog)
    {
        string? ns = null;
        if (rest is ["namespaces", var namespaceName, _, ..])
        {
            ns = namespaceName;
            rest = rest[2..];
        }

        if (!catalog.TryGetByResource(group, version, rest[0], out var type) || (ns is not null && !type.Namespaced))
        {
            return new ApiRoute(RouteKind.NotFound, read ? SimulatorVerb.Get : SimulatorVerb.Other);
        }

        var write = method switch
        {
            "POST" => SimulatorVerb.Create,
            "PUT" => SimulatorVerb.Update,
            "PATCH" => SimulatorVerb.Patch,
            "DELETE" => SimulatorVerb.Delete,
            _ => SimulatorVerb.Other,
        };
        SimulatorVerb Verb(SimulatorVerb readVerb) => read ? readVerb : write;
        return rest switch
        {
            [_] => new ApiRoute(RouteKind.Collection, Verb(watch ? SimulatorVerb.Watch : SimulatorVerb.List), type, ns),
            [_, var name] when ns is not null || !type.Namespaced =>
                new ApiRoute(RouteKind.Item, Verb(watch ? SimulatorVerb.Watch : SimulatorVerb.Get), type, ns, name),
            [_, var name, var sub] when (ns is not null || !type.Namespaced) && (type.Subresources.Contains(sub) || sub == "status") =>
                new ApiRoute(RouteKind.Subresource, Verb(sub == "log" ? SimulatorVerb.Log : SimulatorVerb.Get), type, ns, name, sub),
            _ => new ApiRoute(RouteKind.NotFound, Verb(SimulatorVerb.Get), type),
        };
    }
}
