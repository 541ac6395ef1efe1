namespace ChasiSre.Ingest;

/// <summary>
/// One Kubernetes resource the watchers list and watch: its group/version, plural (the URL
/// segment), kind and scope.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version within the group, e.g. <c>v1</c>.</param>
/// <param name="Plural">Resource name in URLs, e.g. <c>pods</c>.</param>
/// <param name="Kind">Object kind, e.g. <c>Pod</c>.</param>
/// <param name="Namespaced">True when objects live in namespaces.</param>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary><c>v1</c> for the core group, <c>group/version</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The discovery document that lists this resource: <c>api/v1</c> or <c>apis/group/version</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";

    /// <summary>The collection path (all namespaces), relative to the server's base URI.</summary>
    public string CollectionPath => $"{GroupVersionPath}/{Plural}";

    /// <summary>The path of one object, relative to the server's base URI.</summary>
    public string ObjectPath(string? @namespace, string name) =>
        Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}/{Uri.EscapeDataString(name)}"
            : $"{GroupVersionPath}/{Plural}/{Uri.EscapeDataString(name)}";

    /// <inheritdoc />
    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}/{Version}";
}
