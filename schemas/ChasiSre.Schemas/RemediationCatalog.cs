using ChasiSre.Schemas.V1;

namespace ChasiSre.Schemas;

/// <summary>
/// The closed set of actions a diagnosis may propose. Anything else a model suggests is advice for a human, never an
/// action: the executor runs only names its policy lists, and its policy can only list names from here.
/// </summary>
public static class RemediationCatalog
{
    /// <summary>Delete a pod that a controller recreates.</summary>
    public const string DeletePod = "delete-pod";

    /// <summary>Restart a workload's pods the way <c>kubectl rollout restart</c> does.</summary>
    public const string RolloutRestart = "rollout-restart";

    /// <summary>Set a Deployment's or StatefulSet's replicas.</summary>
    public const string Scale = "scale";

    /// <summary>Set keys of a ConfigMap.</summary>
    public const string PatchConfigMap = "patch-configmap";

    /// <summary>Create a new Job from a failed one's template.</summary>
    public const string RerunJob = "rerun-job";

    /// <summary>Suspend a CronJob.</summary>
    public const string SuspendCronJob = "suspend-cronjob";

    /// <summary>Resume a suspended CronJob.</summary>
    public const string ResumeCronJob = "resume-cronjob";

    /// <summary>Mark a host node unschedulable.</summary>
    public const string CordonNode = "cordon-node";

    /// <summary>Mark a host node schedulable again.</summary>
    public const string UncordonNode = "uncordon-node";

    /// <summary>Run a runbook a business adapter publishes.</summary>
    public const string ExecuteRunbook = "execute-runbook";

    /// <summary>Every action, by name.</summary>
    public static IReadOnlyDictionary<string, RemediationAction> All { get; } = new RemediationAction[]
    {
        new(DeletePod, ["Pod"], Risk.Low, [], "delete one controller-owned pod so its controller recreates it"),
        new(RolloutRestart, ["Deployment", "StatefulSet", "DaemonSet"], Risk.Medium, [], "restart the workload's pods one by one (rollout restart)"),
        new(Scale, ["Deployment", "StatefulSet"], Risk.Medium, ["replicas"], "set the number of replicas"),
        new(PatchConfigMap, ["ConfigMap"], Risk.Medium, ["key", "value"], "set one key of a ConfigMap"),
        new(RerunJob, ["Job"], Risk.Low, [], "create a new Job from the failed Job's template"),
        new(SuspendCronJob, ["CronJob"], Risk.Low, [], "suspend the CronJob (no new runs)"),
        new(ResumeCronJob, ["CronJob"], Risk.Low, [], "resume the suspended CronJob"),
        new(CordonNode, ["Node"], Risk.High, [], "mark a host node unschedulable (host layer)"),
        new(UncordonNode, ["Node"], Risk.High, [], "mark a host node schedulable again (host layer)"),
        new(ExecuteRunbook, ["BusinessAdapter"], Risk.High, ["runbook"], "run a business adapter's runbook by id"),
    }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The action named <paramref name="name"/>, or null.</summary>
    public static RemediationAction? Find(string? name) => name is not null && All.TryGetValue(name, out var action) ? action : null;
}
