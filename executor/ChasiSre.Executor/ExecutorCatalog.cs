using ChasiSre.Schemas;

namespace ChasiSre.Executor;

/// <summary>
/// The executor's side of the <see cref="RemediationCatalog"/>: for every action whether it is reversible, how it is
/// verified and rolled back, and the Kubernetes requests it makes. Every change is a patch, create or delete preceded by
/// the same request with <c>dryRun=All</c>, whose answer is diffed against the current object for the audit record.
/// Patches carry the <c>resourceVersion</c> they were computed from, so a concurrent change is a 409 (re-read, retried
/// once), never a silent overwrite.
/// </summary>
public static class ExecutorCatalog
{
    private const string Incident = "the incident resolves (chasi.incidents.v1 RESOLVED at a later revision) within the verification window";

    /// <summary>Every action, by name; the same names as <see cref="RemediationCatalog.All"/>.</summary>
    public static IReadOnlyDictionary<string, CatalogEntry> All { get; } = new CatalogEntry[]
    {
        new(RemediationCatalog.All[RemediationCatalog.DeletePod], false, Incident,
            "none: the controller recreates the pod; a deleted pod cannot come back",
            ["GET pod (must have a controller ownerReference)", "DELETE pod (preconditions uid, resourceVersion; dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.RolloutRestart], true, Incident,
            "restores the pod template's previous kubectl.kubernetes.io/restartedAt annotation (removes it when there was none)",
            ["GET workload", "PATCH workload merge-patch spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt] (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.Scale], true, Incident,
            "restores the previous spec.replicas through the scale subresource",
            ["GET workload/scale", "PATCH workload/scale merge-patch spec.replicas (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.PatchConfigMap], true, Incident,
            "restores the key's previous value, or removes the key when it was absent",
            ["GET configmap", "PATCH configmap merge-patch data[key] (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.RerunJob], true, Incident,
            "deletes the Job it created (propagation Background)",
            ["GET job (must have failed)", "POST job: the failed Job's template without its controller-uid selector and labels (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.SuspendCronJob], true, Incident,
            "resumes the CronJob (spec.suspend back to its previous value)",
            ["GET cronjob", "PATCH cronjob merge-patch spec.suspend=true (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.ResumeCronJob], true, Incident,
            "suspends the CronJob again (spec.suspend back to its previous value)",
            ["GET cronjob", "PATCH cronjob merge-patch spec.suspend=false (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.CordonNode], true, Incident,
            "uncordons the node (spec.unschedulable back to its previous value)",
            ["GET node", "PATCH node merge-patch spec.unschedulable=true (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.UncordonNode], true, Incident,
            "cordons the node again (spec.unschedulable back to its previous value)",
            ["GET node", "PATCH node merge-patch spec.unschedulable=null (dryRun=All, then for real)"]),
        new(RemediationCatalog.All[RemediationCatalog.ExecuteRunbook], false, Incident,
            "none: a runbook is the business team's code; the executor cannot know its inverse",
            ["POST {adapter}/chasi/v1/runbooks (the runbook must be listed; the dry run)", "POST {adapter}/chasi/v1/runbooks/execute (request_id = action id)"]),
    }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>
    /// What the catalog's requests need on a cluster the executor acts on, and nothing more: the reads before a change,
    /// the changes (their dry runs need the same verb), rollbacks, and the Event written on the object. The Helm chart's
    /// executor ClusterRole grants exactly these (a test compares them), and the flow tests fail if the executor makes a
    /// request outside them.
    /// </summary>
    public static IReadOnlyList<RbacRule> Permissions { get; } =
    [
        new("", "pods", ["get", "delete"]),
        new("", "configmaps", ["get", "patch"]),
        new("", "nodes", ["get", "patch"]),
        new("", "events", ["create"]),
        new("apps", "deployments", ["get", "patch"]),
        new("apps", "statefulsets", ["get", "patch"]),
        new("apps", "daemonsets", ["get", "patch"]),
        new("apps", "deployments/scale", ["get", "patch"]),
        new("apps", "statefulsets/scale", ["get", "patch"]),
        new("batch", "jobs", ["get", "create", "delete"]),
        new("batch", "cronjobs", ["get", "patch"]),
    ];

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public static CatalogEntry? Find(string? name) => name is not null && All.TryGetValue(name, out var entry) ? entry : null;
}
