using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// Namespaces a platform has suspended on purpose. Sealos marks a tenant namespace it suspends (unpaid balance) with
/// <c>debt.sealos/status</c> (annotation, some tools set a label) and scales its workloads to zero: services without
/// endpoints, pods going away and a vCluster control plane scaled down are the suspension doing its job, not incidents.
/// A vCluster object is suspended when the host namespace its vCluster runs in is.
/// </summary>
public static class TenantSuspension
{
    /// <summary>The Sealos debt status key, on a Namespace's annotations or labels.</summary>
    public const string DebtStatusKey = "debt.sealos/status";

    // Sealos' debt states in which the tenant's workloads are (being) stopped; Normal, Resume and ResumeCompleted are not.
    private static readonly HashSet<string> SuspendedStates = new(
        ["Suspend", "SuspendCompleted", "TerminateSuspend", "TerminateSuspendCompleted", "FinalDeletion", "FinalDeletionCompleted"],
        StringComparer.Ordinal);

    /// <summary>True when <paramref name="reference"/> lives in a suspended namespace (or in a vCluster whose host namespace is suspended).</summary>
    public static bool IsSuspended(ObjectRef reference, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(state);
        var ownNamespace = reference.Kind == "Namespace" ? reference.Name : reference.Namespace;
        return (ownNamespace.Length > 0 && Suspended(state.Find(reference.Cluster, "Namespace", null, ownNamespace)))
            || (reference.Layer == Layer.Virtual && reference.HostCluster.Length > 0 && reference.HostNamespace.Length > 0
                && Suspended(state.Find(reference.HostCluster, "Namespace", null, reference.HostNamespace)));
    }

    /// <summary>The debt status of a Namespace object (annotation first, then label), when it carries one.</summary>
    public static string? DebtStatus(KubeObject namespaceObject)
    {
        ArgumentNullException.ThrowIfNull(namespaceObject);
        return KubeJson.Annotation(namespaceObject, DebtStatusKey) ?? KubeJson.Label(namespaceObject, DebtStatusKey);
    }

    private static bool Suspended(KubeObject? namespaceObject) =>
        namespaceObject is not null && DebtStatus(namespaceObject) is { } status && SuspendedStates.Contains(status);
}
