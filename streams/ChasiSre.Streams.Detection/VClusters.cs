using System.Security.Cryptography;
using System.Text;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>vCluster facts detectors need (shared/VCLUSTER.md).</summary>
internal static class VClusters
{
    public const string ManagedByLabel = "vcluster.loft.sh/managed-by";
    public const string FakeNodeLabel = "vcluster.loft.sh/fake-node";

    /// <summary>A host object the syncer made from a virtual one whose cluster the state also watches: detectors judge
    /// the virtual original (the tenant's view, with the same status) and leave the twin alone, so one problem is one finding.</summary>
    public static bool IsMirroredTwin(KubeObject obj, IClusterState state) =>
        obj.Ref.Layer == Layer.Host
        && obj.Ref.Twin is { Cluster.Length: > 0 } twin
        && state.Find(twin.Cluster, twin.Kind, twin.Namespace.Length == 0 ? null : twin.Namespace, twin.Name) is not null;

    /// <summary>A host StatefulSet, Deployment or Pod of a vCluster's control plane (labels app=vcluster, release=NAME).</summary>
    public static bool IsControlPlane(KubeObject obj) =>
        obj.Ref.Layer != Layer.Virtual
        && KubeJson.Label(obj, "app") == "vcluster"
        && KubeJson.Label(obj, "release") is { Length: > 0 };

    /// <summary>A fake node a vCluster shows for a host node (the host node is judged instead).</summary>
    public static bool IsFakeNode(KubeObject obj) =>
        obj.Ref.Layer == Layer.Virtual || KubeJson.Label(obj, FakeNodeLabel) == "true";

    /// <summary>The host name of a namespaced virtual object: <c>name-x-namespace-x-vcluster</c>, hashed past 63 characters.</summary>
    public static string HostName(string name, string virtualNamespace, string vcluster)
    {
        var full = $"{name}-x-{virtualNamespace}-x-{vcluster}";
        if (full.Length <= 63)
        {
            return full;
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        return (full[..52] + "-" + digest[..10]).Replace(".-", "-", StringComparison.Ordinal);
    }

    /// <summary>The control-plane workload (StatefulSet, else Deployment) of the vCluster a virtual object lives in.</summary>
    public static KubeObject? ControlPlaneOf(ObjectRef virtualObject, IClusterState state)
    {
        if (virtualObject.Layer != Layer.Virtual || virtualObject.HostCluster.Length == 0 || virtualObject.HostNamespace.Length == 0)
        {
            return null;
        }

        return state.Find(virtualObject.HostCluster, "StatefulSet", virtualObject.HostNamespace, virtualObject.Cluster)
            ?? state.Find(virtualObject.HostCluster, "Deployment", virtualObject.HostNamespace, virtualObject.Cluster);
    }

    /// <summary>The host twin of a virtual pod, when the state has it.</summary>
    public static KubeObject? HostTwin(KubeObject virtualObject, IClusterState state)
    {
        var reference = virtualObject.Ref;
        if (reference.Layer != Layer.Virtual)
        {
            return null;
        }

        if (reference.Twin is { Name.Length: > 0 } twin)
        {
            return state.Find(twin.Cluster, twin.Kind, twin.Namespace, twin.Name);
        }

        return reference.HostCluster.Length == 0 || reference.HostNamespace.Length == 0 || reference.Namespace.Length == 0
            ? null
            : state.Find(reference.HostCluster, reference.Kind, reference.HostNamespace, HostName(reference.Name, reference.Namespace, reference.Cluster));
    }

    /// <summary>The expected host twin reference of a virtual object (whether or not it exists).</summary>
    public static ObjectRef? ExpectedTwin(ObjectRef reference)
    {
        if (reference.Twin is { Name.Length: > 0 } twin)
        {
            return twin;
        }

        return reference.Layer != Layer.Virtual || reference.HostCluster.Length == 0 || reference.HostNamespace.Length == 0 || reference.Namespace.Length == 0
            ? null
            : new ObjectRef
            {
                Cluster = reference.HostCluster,
                Tenant = reference.Tenant,
                Layer = Layer.Host,
                ApiVersion = reference.ApiVersion,
                Kind = reference.Kind,
                Namespace = reference.HostNamespace,
                Name = HostName(reference.Name, reference.Namespace, reference.Cluster),
                HostCluster = reference.HostCluster,
            };
    }
}
