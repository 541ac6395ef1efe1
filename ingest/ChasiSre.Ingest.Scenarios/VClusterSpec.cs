namespace ChasiSre.Ingest.Scenarios;

/// <summary>Where a vCluster runs on the host and which of its objects have no host twin.</summary>
/// <param name="HostNamespace">Host namespace of the control plane and of every synced object.</param>
/// <param name="SyncToHost">When true the timeline creates the host side the syncer would create.</param>
/// <param name="NoTwin">Virtual objects whose host twin the host refused (quota, admission, ...).</param>
public sealed record VClusterSpec(string HostNamespace, bool SyncToHost, IReadOnlyList<ObjectKey> NoTwin)
{
    /// <summary>True when <paramref name="kind"/>/<paramref name="ns"/>/<paramref name="name"/> is listed in <see cref="NoTwin"/>.</summary>
    public bool HasNoTwin(string kind, string? ns, string name) =>
        NoTwin.Any(k => k.Kind == kind && k.Name == name && (k.Namespace ?? "") == (ns ?? ""));
}
