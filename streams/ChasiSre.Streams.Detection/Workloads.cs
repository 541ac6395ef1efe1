using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>Resolves pods to the workload that controls them (Pod -> ReplicaSet -> Deployment, StatefulSet, DaemonSet,
/// Job -> CronJob) through ownerReferences and the state, and lists a workload's pods through the owner index.</summary>
internal static class Workloads
{
    private const int MaxDepth = 4;

    /// <summary>The topmost controller of <paramref name="obj"/> known to the state (or named by the last ownerReference);
    /// the object itself when nothing controls it.</summary>
    public static Workload Of(KubeObject obj, IClusterState state)
    {
        var current = obj;
        var reference = obj.Ref;
        for (var depth = 0; depth < MaxDepth && current is not null; depth++)
        {
            if (KubeJson.Controller(current.Json) is not { } owner)
            {
                break;
            }

            var found = state.Find(reference.Cluster, owner.Kind, reference.Namespace.Length == 0 ? null : reference.Namespace, owner.Name);
            if (found is not null && (owner.Uid.Length == 0 || found.Ref.Uid.Length == 0 || found.Ref.Uid == owner.Uid))
            {
                current = found;
                reference = found.Ref;
                continue;
            }

            // The owner is not in the state (not watched, or not yet seen): name it and stop.
            reference = Refs.Sibling(reference, owner.ApiVersion, owner.Kind, reference.Namespace, owner.Name, owner.Uid);
            current = null;
        }

        return new Workload(reference, current);
    }

    /// <summary>The pods a workload runs (through its ReplicaSets or Jobs), at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<KubeObject> Pods(ObjectRef workload, IClusterState state, int max = 1000)
    {
        var pods = workload.Kind switch
        {
            "Pod" => state.Find(workload.Cluster, "Pod", workload.Namespace, workload.Name) is { } pod ? [pod] : [],
            "Deployment" => state.ListOwnedBy(workload, "ReplicaSet").SelectMany(rs => state.ListOwnedBy(rs.Ref, "Pod")),
            "CronJob" => state.ListOwnedBy(workload, "Job").SelectMany(job => state.ListOwnedBy(job.Ref, "Pod")),
            _ => state.ListOwnedBy(workload, "Pod"),
        };
        return [.. pods.Take(max).OrderBy(p => p.Ref.Name, StringComparer.Ordinal)];
    }

    /// <summary>Desired replicas of a workload object, when it says.</summary>
    public static long? DesiredReplicas(KubeObject? workload) => workload is null ? null : workload.Ref.Kind switch
    {
        "DaemonSet" => KubeJson.Long(workload.Json, "status", "desiredNumberScheduled"),
        "Job" => KubeJson.Long(workload.Json, "spec", "parallelism") ?? 1,
        "Deployment" or "StatefulSet" or "ReplicaSet" => KubeJson.Long(workload.Json, "spec", "replicas") ?? 1,
        _ => null,
    };
}

/// <summary>A workload: its reference and its object when the state has it.</summary>
internal sealed record Workload(ObjectRef Ref, KubeObject? Object);
