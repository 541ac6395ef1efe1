using System.Globalization;
using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Executor;

/// <summary>
/// Computes each Kubernetes action's change from the object as it is now (one GET), with the preconditions the catalog
/// names; and the change that undoes it from the rollback state. Patches carry the resourceVersion they were computed
/// from, so the apiserver refuses them (409) if the object moved in between.
/// </summary>
internal static class ActionPlanner
{
    public const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

    private static readonly string[] JobControllerLabels = ["controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name"];

    public static KubeObjectRef Target(ObjectRef target) => new(
        target.ApiVersion.Length > 0 ? target.ApiVersion : DefaultApiVersion(target.Kind), target.Kind, target.Namespace, target.Name);

    public static async Task<ActionPlan> PlanAsync(KubeApi api, Remediation remediation, string actionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = Target(remediation.Target);
        var scale = remediation.Action == RemediationCatalog.Scale;
        var current = await api.GetAsync(target, scale, cancellationToken)
            ?? throw new ActionFailedException($"{target} does not exist in cluster '{remediation.Target.Cluster}'");
        var rv = (string?)current["metadata"]?["resourceVersion"] ?? "";
        var label = target.ToString() + (scale ? " (scale)" : "");
        switch (remediation.Action)
        {
            case RemediationCatalog.DeletePod:
                {
                    var owners = current["metadata"]?["ownerReferences"] as JsonArray ?? [];
                    if (!owners.Any(o => (bool?)o?["controller"] == true))
                    {
                        throw new ActionFailedException($"{target} has no controller ownerReference: nothing would recreate it");
                    }

                    var uid = (string?)current["metadata"]?["uid"] ?? "";
                    return new ActionPlan(new KubeDelete(target, uid, rv), current, null, label);
                }

            case RemediationCatalog.RolloutRestart:
                {
                    var previous = current["spec"]?["template"]?["metadata"]?["annotations"]?[RestartedAt]?.DeepClone();
                    var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    var written = Nest(["spec", "template", "metadata", "annotations", RestartedAt], JsonValue.Create(stamp));
                    var restore = Nest(["spec", "template", "metadata", "annotations", RestartedAt], previous);
                    return Patch(target, false, rv, written, restore, current, label);
                }

            case RemediationCatalog.Scale:
                {
                    var replicas = int.Parse(remediation.Parameters["replicas"], NumberStyles.None, CultureInfo.InvariantCulture);
                    var previous = current["spec"]?["replicas"]?.GetValue<int>() ?? 0;
                    if (previous == replicas)
                    {
                        throw new ActionFailedException($"{target} already has {replicas} replicas");
                    }

                    return Patch(target, true, rv, Nest(["spec", "replicas"], JsonValue.Create(replicas)), Nest(["spec", "replicas"], JsonValue.Create(previous)), current, label);
                }

            case RemediationCatalog.PatchConfigMap:
                {
                    var key = remediation.Parameters["key"];
                    var value = remediation.Parameters["value"];
                    var previous = current["data"]?[key]?.DeepClone();
                    if ((string?)previous == value)
                    {
                        throw new ActionFailedException($"{target} already has that value for '{key}'");
                    }

                    return Patch(target, false, rv, Nest(["data", key], JsonValue.Create(value)), Nest(["data", key], previous), current, label);
                }

            case RemediationCatalog.SuspendCronJob or RemediationCatalog.ResumeCronJob:
                {
                    var suspend = remediation.Action == RemediationCatalog.SuspendCronJob;
                    var previous = current["spec"]?["suspend"]?.DeepClone();
                    if (((bool?)previous ?? false) == suspend)
                    {
                        throw new ActionFailedException($"{target} is already {(suspend ? "suspended" : "not suspended")}");
                    }

                    return Patch(target, false, rv, Nest(["spec", "suspend"], JsonValue.Create(suspend)), Nest(["spec", "suspend"], previous), current, label);
                }

            case RemediationCatalog.CordonNode or RemediationCatalog.UncordonNode:
                {
                    var cordon = remediation.Action == RemediationCatalog.CordonNode;
                    var previous = current["spec"]?["unschedulable"]?.DeepClone();
                    if (((bool?)previous ?? false) == cordon)
                    {
                        throw new ActionFailedException($"{target} is already {(cordon ? "cordoned" : "schedulable")}");
                    }

                    // kubectl uncordon removes the field (false is its default and is omitted).
                    return Patch(target, false, rv, Nest(["spec", "unschedulable"], cordon ? JsonValue.Create(true) : null), Nest(["spec", "unschedulable"], previous), current, label);
                }

            case RemediationCatalog.RerunJob:
                return Rerun(target, current, actionId);

            default:
                throw new ActionFailedException($"{remediation.Action} is not a Kubernetes action");
        }
    }

    /// <summary>The change that undoes an executed action, from its rollback state, checked against the object now.</summary>
    public static async Task<ActionPlan> PlanRollbackAsync(KubeApi api, string rollbackState, CancellationToken cancellationToken)
    {
        var state = JsonNode.Parse(rollbackState)?.AsObject() ?? throw new ActionFailedException("the rollback state is empty");
        var target = new KubeObjectRef((string?)state["apiVersion"] ?? "", (string?)state["kind"] ?? "", (string?)state["namespace"] ?? "", (string?)state["name"] ?? "");
        switch ((string?)state["op"])
        {
            case "patch":
                {
                    var scale = (bool?)state["scale"] ?? false;
                    var current = await api.GetAsync(target, scale, cancellationToken) ?? throw new ActionFailedException($"{target} no longer exists: nothing to roll back");
                    var written = state["written"]!.AsObject();
                    if (FirstDifference(current, written, "") is { } changed)
                    {
                        throw new ActionFailedException($"{target} changed since the action ({changed}); not rolled back over someone else's change");
                    }

                    var body = state["restore"]!.DeepClone().AsObject();
                    Set(body, "metadata", "resourceVersion", (string?)current["metadata"]?["resourceVersion"]);
                    return new ActionPlan(new KubeMergePatch(target, scale, body), current, null, target + (scale ? " (scale)" : ""));
                }

            case "delete":
                {
                    var current = await api.GetAsync(target, false, cancellationToken) ?? throw new ActionFailedException($"{target} no longer exists: nothing to roll back");
                    var uid = (string?)state["uid"] ?? "";
                    if ((string?)current["metadata"]?["uid"] != uid)
                    {
                        throw new ActionFailedException($"{target} is not the object the action created (uid {uid})");
                    }

                    return new ActionPlan(new KubeDelete(target, uid, ""), current, null, target.ToString());
                }

            default:
                throw new ActionFailedException($"unknown rollback operation '{(string?)state["op"]}'");
        }
    }

    private static ActionPlan Patch(KubeObjectRef target, bool scale, string rv, JsonObject written, JsonObject restore, JsonObject current, string label)
    {
        var body = written.DeepClone().AsObject();
        Set(body, "metadata", "resourceVersion", rv);
        return new ActionPlan(new KubeMergePatch(target, scale, body), current, _ => new JsonObject
        {
            ["op"] = "patch",
            ["apiVersion"] = target.ApiVersion,
            ["kind"] = target.Kind,
            ["namespace"] = target.Namespace,
            ["name"] = target.Name,
            ["scale"] = scale,
            ["restore"] = restore.DeepClone(),
            ["written"] = written.DeepClone(),
        }, label);
    }

    private static ActionPlan Rerun(KubeObjectRef target, JsonObject job, string actionId)
    {
        var failed = (job["status"]?["conditions"] as JsonArray ?? []).Any(c => (string?)c?["type"] == "Failed" && (string?)c?["status"] == "True")
            || ((int?)job["status"]?["failed"] ?? 0) > 0;
        if (!failed)
        {
            throw new ActionFailedException($"{target} has not failed: only a failed Job is run again");
        }

        var name = $"{(target.Name.Length > 45 ? target.Name[..45].TrimEnd('-', '.') : target.Name)}-rerun-{actionId[^6..]}";
        var spec = job["spec"]?.DeepClone().AsObject() ?? [];
        spec.Remove("selector");
        spec.Remove("manualSelector");
        if (spec["template"]?["metadata"]?["labels"] is JsonObject templateLabels)
        {
            foreach (var label in JobControllerLabels)
            {
                templateLabels.Remove(label);
            }
        }

        var labels = job["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
        foreach (var label in JobControllerLabels)
        {
            labels.Remove(label);
        }

        var created = new KubeObjectRef(target.ApiVersion, "Job", target.Namespace, name);
        var body = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = target.Namespace,
                ["labels"] = labels,
                ["annotations"] = new JsonObject { ["chasi.io/action-id"] = actionId, ["chasi.io/rerun-of"] = target.Name },
            },
            ["spec"] = spec,
        };
        return new ActionPlan(new KubeCreate(created, body), null, answer => new JsonObject
        {
            ["op"] = "delete",
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["namespace"] = target.Namespace,
            ["name"] = name,
            ["uid"] = (string?)answer?["metadata"]?["uid"] ?? "",
        }, created.ToString());
    }

    /// <summary>The first field of a merge patch <paramref name="written"/> that <paramref name="current"/> no longer has, or null.</summary>
    internal static string? FirstDifference(JsonObject current, JsonObject written, string path)
    {
        foreach (var (key, value) in written)
        {
            var here = $"{path}.{key}";
            var now = current[key];
            if (value is JsonObject nested)
            {
                if (now is not JsonObject nowObject)
                {
                    return $"{here} is gone";
                }

                if (FirstDifference(nowObject, nested, here) is { } inner)
                {
                    return inner;
                }
            }
            else if (!JsonNode.DeepEquals(now, value))
            {
                return $"{here} is {now?.ToJsonString() ?? "absent"}, the action wrote {value?.ToJsonString() ?? "nothing"}";
            }
        }

        return null;
    }

    private static JsonObject Nest(string[] path, JsonNode? leaf)
    {
        var root = new JsonObject();
        var node = root;
        foreach (var segment in path[..^1])
        {
            var child = new JsonObject();
            node[segment] = child;
            node = child;
        }

        node[path[^1]] = leaf;
        return root;
    }

    private static void Set(JsonObject body, string parent, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (body[parent] is not JsonObject child)
        {
            child = [];
            body[parent] = child;
        }

        child[key] = value;
    }

    private static string DefaultApiVersion(string kind) => kind switch
    {
        "Deployment" or "StatefulSet" or "DaemonSet" => "apps/v1",
        "Job" or "CronJob" => "batch/v1",
        _ => "v1",
    };
}
