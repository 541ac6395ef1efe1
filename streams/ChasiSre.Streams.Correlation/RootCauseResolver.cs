using System.Text.Json;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation;

/// <summary>
/// Finds the root cause object of a finding from the cluster state: <see cref="Finding.Cause"/>
/// when set, otherwise the subject; either is then climbed through controller
/// <c>ownerReferences</c> to the top owner (Pod -> ReplicaSet -> Deployment, Pod -> Job ->
/// CronJob, Pod -> StatefulSet ...). A host twin of a vCluster object is first replaced by its
/// virtual original, because the tenant's workload lives in the vCluster; a vCluster's Node
/// (the syncer's fake node, named after the host node) is replaced by the host Node, because
/// that is where node trouble lives. Pure; reads only the state.
/// </summary>
public static class RootCauseResolver
{
    private const int MaxDepth = 8;

    /// <summary>
    /// The root of <paramref name="finding"/> and the workload of its subject. A PersistentVolumeClaim's workload is the
    /// one whose pods mount it (or the StatefulSet whose volumeClaimTemplate made it), so that workload's pods waiting on
    /// the claim join the claim's incident; the claim itself stays the root of its own findings.
    /// </summary>
    public static IncidentRoot Resolve(Finding finding, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(state);
        var owner = OwningWorkload(finding.Subject, state);
        var workload = owner.Kind == "PersistentVolumeClaim" ? ClaimWorkload(owner, state) ?? owner : owner;
        var root = finding.Cause is { } cause ? OwningWorkload(cause, state) : owner;
        return new IncidentRoot(root, RecordKeys.ForObject(root), workload);
    }

    /// <summary>
    /// The workload that uses a PersistentVolumeClaim: the owner of a pod mounting it, else the StatefulSet whose
    /// volumeClaimTemplate named it (<c>&lt;template&gt;-&lt;statefulset&gt;-&lt;ordinal&gt;</c>, before its pod exists);
    /// null when nothing in the state uses it. Several users: the first by name.
    /// </summary>
    public static ObjectRef? ClaimWorkload(ObjectRef claim, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(state);
        if (claim.Kind != "PersistentVolumeClaim" || claim.Namespace.Length == 0)
        {
            return null;
        }

        var pod = state.List(claim.Cluster, "Pod", claim.Namespace)
            .Where(p => Mounts(p.Json, claim.Name))
            .OrderBy(p => p.Ref.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (pod is not null)
        {
            return OwningWorkload(pod.Ref, state);
        }

        return state.List(claim.Cluster, "StatefulSet", claim.Namespace)
            .Where(set => Templates(set.Json).Any(template => IsOrdinalClaim(claim.Name, template, set.Ref.Name)))
            .OrderBy(set => set.Ref.Name, StringComparer.Ordinal)
            .Select(set => set.Ref.Clone())
            .FirstOrDefault();
    }

    /// <summary>
    /// The top controller owner of <paramref name="reference"/> (itself when it has none). An owner
    /// missing from the state ends the climb at the owner's reference, except that a ReplicaSet
    /// named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c> is known to belong to that Deployment.
    /// </summary>
    public static ObjectRef OwningWorkload(ObjectRef reference, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(state);
        var current = Virtual(reference, state);
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var found = Find(state, current);
            if (found is null)
            {
                return current;
            }

            var owner = ControllerOwner(found.Json);
            if (owner is null)
            {
                return current;
            }

            var ownerRef = OwnerReference(current, owner.Value);
            var ownerObject = Find(state, ownerRef);
            if (ownerObject is null || (owner.Value.Uid.Length > 0 && ownerObject.Ref.Uid.Length > 0 && ownerObject.Ref.Uid != owner.Value.Uid))
            {
                return DeploymentOfReplicaSet(ownerRef, found.Json) is { } deployment
                    ? Find(state, deployment)?.Ref.Clone() ?? deployment
                    : ownerRef;
            }

            current = ownerObject.Ref.Clone();
        }

        return current;
    }

    // A host object the syncer created stands for its virtual original; a vCluster's node for the host node.
    private static ObjectRef Virtual(ObjectRef reference, IClusterState state)
    {
        if (reference is { Layer: Layer.Virtual, Kind: "Node", HostCluster.Length: > 0 })
        {
            return state.Find(reference.HostCluster, "Node", null, reference.Name)?.Ref.Clone() ?? new ObjectRef
            {
                Cluster = reference.HostCluster,
                Layer = Layer.Host,
                ApiVersion = reference.ApiVersion,
                Kind = "Node",
                Name = reference.Name,
                HostCluster = reference.HostCluster,
            };
        }

        if (reference.Layer != Layer.Host)
        {
            return reference.Clone();
        }

        var twin = reference.Twin ?? Find(state, reference)?.Ref.Twin;
        if (twin is not { Layer: Layer.Virtual })
        {
            return reference.Clone();
        }

        var original = twin.Clone();
        var host = reference.Clone();
        host.Twin = null;
        original.Twin = host;
        return original;
    }

    private static KubeObject? Find(IClusterState state, ObjectRef reference) =>
        state.Find(reference.Cluster, reference.Kind, reference.Namespace.Length > 0 ? reference.Namespace : null, reference.Name);

    private static ObjectRef OwnerReference(ObjectRef child, Owner owner) => new()
    {
        Cluster = child.Cluster,
        Tenant = child.Tenant,
        Layer = child.Layer,
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Namespace = child.Namespace,
        Name = owner.Name,
        Uid = owner.Uid,
        HostCluster = child.HostCluster,
        HostNamespace = child.HostNamespace,
    };

    private static ObjectRef? DeploymentOfReplicaSet(ObjectRef replicaSet, JsonElement pod)
    {
        if (replicaSet.Kind != "ReplicaSet"
            || !pod.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("labels", out var labels)
            || labels.ValueKind != JsonValueKind.Object
            || !labels.TryGetProperty("pod-template-hash", out var hashValue)
            || hashValue.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var suffix = "-" + hashValue.GetString();
        if (suffix.Length < 2 || replicaSet.Name.Length <= suffix.Length || !replicaSet.Name.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var deployment = replicaSet.Clone();
        deployment.ApiVersion = "apps/v1";
        deployment.Kind = "Deployment";
        deployment.Name = replicaSet.Name[..^suffix.Length];
        deployment.Uid = "";
        return deployment;
    }

    // The controller owner; without one marked controller, the first owner.
    private static Owner? ControllerOwner(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object
            || !json.TryGetProperty("metadata", out var metadata)
            || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("ownerReferences", out var owners)
            || owners.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        Owner? first = null;
        foreach (var owner in owners.EnumerateArray())
        {
            if (owner.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var kind = Text(owner, "kind");
            var name = Text(owner, "name");
            if (kind.Length == 0 || name.Length == 0)
            {
                continue;
            }

            var candidate = new Owner(Text(owner, "apiVersion"), kind, name, Text(owner, "uid"));
            if (owner.TryGetProperty("controller", out var controller) && controller.ValueKind == JsonValueKind.True)
            {
                return candidate;
            }

            first ??= candidate;
        }

        return first;
    }

    private static bool Mounts(JsonElement pod, string claimName) =>
        Array(pod, "spec", "volumes").Any(volume =>
            volume.TryGetProperty("persistentVolumeClaim", out var source) && source.ValueKind == JsonValueKind.Object && Text(source, "claimName") == claimName);

    private static IEnumerable<string> Templates(JsonElement statefulSet) =>
        Array(statefulSet, "spec", "volumeClaimTemplates")
            .Select(t => t.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Text(metadata, "name") : "")
            .Where(name => name.Length > 0);

    private static bool IsOrdinalClaim(string claimName, string template, string statefulSet)
    {
        var prefix = $"{template}-{statefulSet}-";
        return claimName.Length > prefix.Length && claimName.StartsWith(prefix, StringComparison.Ordinal) && claimName.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static IEnumerable<JsonElement> Array(JsonElement obj, string first, string second) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(first, out var inner) && inner.ValueKind == JsonValueKind.Object
        && inner.TryGetProperty(second, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
            : [];

    private static string Text(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    private readonly record struct Owner(string ApiVersion, string Kind, string Name, string Uid);
}
