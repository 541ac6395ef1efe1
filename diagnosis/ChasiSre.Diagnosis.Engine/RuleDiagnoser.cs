using System.Text.RegularExpressions;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>
/// The diagnosis without a model: the detectors already name the cause (that is what correlation did), so the rules
/// state it with the decisive evidence of the pack, the category's standard remediation, the best runbook retrieved,
/// and only those catalog actions that mitigate the category without a spec change. Confidence stays below what a
/// model with the same evidence may claim: rules do not read the logs for meaning.
/// </summary>
internal static partial class RuleDiagnoser
{
    private const double MaxConfidence = 0.85;

    private static readonly Dictionary<string, string[]> Steps = new(StringComparer.Ordinal)
    {
        ["CrashLoop"] = ["Read the previous container's log for the fatal error and fix its cause (configuration, a dependency, the image)", "Roll out the fixed spec or configuration and watch the restart count stop"],
        ["ImagePull"] = ["Check the image name and tag exist in the registry", "Check the pull secret and the registry's reachability from the nodes"],
        ["OOMKilled"] = ["Compare memory usage with the limit before each kill", "Raise the memory limit if usage is proportional to load; profile the process if it grows without bound"],
        ["Unschedulable"] = ["Read the scheduler's reason in the FailedScheduling event", "Free or add capacity, or relax the constraint (requests, selectors, affinity, taints)"],
        ["ProbeFailure"] = ["Check the probe's path, port and timeouts against the application", "Give slow starters a startupProbe instead of a longer liveness delay"],
        ["ConfigError"] = ["Create or fix the referenced ConfigMap, Secret or key", "Restart the workload once the configuration exists"],
        ["Storage"] = ["Check the PVC's events and the storage class's provisioner", "Fix the class, quota or capacity, then let the claim bind"],
        ["NetworkService"] = ["Check that the Service selector matches ready pods", "Fix the pods' readiness; the endpoints follow"],
        ["DNS"] = ["Check CoreDNS pods and their logs in the affected cluster", "Check the resolver configuration and upstream reachability"],
        ["NodeFailure"] = ["Check the node's kubelet and runtime, and the machine behind it", "Drain and replace the node if it does not recover"],
        ["NodePressure"] = ["Find what fills the node (disk, memory, PIDs) and reclaim it", "Evict or move the heaviest workloads, or add capacity"],
        ["RolloutStuck"] = ["Find why the new ReplicaSet's pods are not ready", "Fix forward or roll back to the last good revision"],
        ["JobFailed"] = ["Read the failed pods' logs for the error", "Fix the cause, then rerun the job"],
        ["QuotaExceeded"] = ["Compare the quota's used and hard values with the new request", "Raise the quota or lower the workload's requests"],
        ["AdmissionRejected"] = ["Read the rejecting policy or webhook's message", "Change the object to satisfy the policy, or fix the webhook if it is failing"],
        ["VClusterSync"] = ["Read the syncer's SyncError event and the host-side reason", "Fix the host-side cause (quota, admission, storage class) so the syncer can create the twin"],
        ["VClusterControlPlane"] = ["Check the vCluster StatefulSet's pods and logs on the host", "Restore the control plane (storage, resources) and check the tenant's API answers"],
        ["CertificateExpiry"] = ["Find the expired or expiring certificate named in the logs", "Renew it and restart what loaded it"],
        ["Autoscaling"] = ["Check the HPA's conditions and metrics source", "Fix the metrics pipeline or the scaling bounds"],
        ["MetricAnomaly"] = ["Compare the anomalous series with recent deploys and traffic", "Correlate with the workload's events and logs before acting"],
        ["BusinessDegradation"] = ["Check the business adapter's status and the systems it depends on", "Follow the business system's runbook"],
    };

    public static DiagnosisAnswer Diagnose(Incident incident, EvidencePack pack, AnswerContract contract)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(pack);
        var lines = Lines(pack.Text);
        var primary = incident.Signals
            .OrderByDescending(s => s.Active)
            .ThenByDescending(s => s.Category == incident.Category)
            .ThenByDescending(s => s.Severity)
            .ThenBy(s => s.FirstSeen?.ToDateTimeOffset() ?? DateTimeOffset.MaxValue)
            .FirstOrDefault();

        var evidence = new List<string>();
        void Cite(IEnumerable<EvidenceItem> items, int max) => evidence.AddRange(items.Select(i => i.Id).Where(id => !evidence.Contains(id)).Take(max));
        Cite(pack.Items.Where(i => i.Section == EvidenceSection.Signals), 3);
        var errorLogs = pack.Items.Where(i => i.Section == EvidenceSection.Logs && lines.TryGetValue(i.Id, out var l) && ErrorWords().IsMatch(l)).ToList();
        Cite(errorLogs.TakeLast(2), 2);
        Cite(pack.Items.Where(i => i.Section == EvidenceSection.Events && lines.TryGetValue(i.Id, out var l) && l.Contains(" Warning ", StringComparison.Ordinal)), 2);
        Cite(pack.Items.Where(i => i.Section is EvidenceSection.Mapping or EvidenceSection.Metrics or EvidenceSection.Business), 1);
        Cite(pack.Items.Where(i => i.Section == EvidenceSection.Objects), 1);
        evidence = [.. evidence.Take(AnswerContract.MaxEvidence)];

        var rootCause = incident.Summary.Length > 0 ? incident.Summary : primary?.Message ?? incident.Title;
        if (primary?.Cause is { } cause && cause.Name.Length > 0 && !Same(cause, incident.Subject))
        {
            rootCause += $" Cause: {Label(cause)}.";
        }

        // The decisive log line says more than any summary ("DEPLOY_ENV is not set").
        if (errorLogs.Count > 0 && lines.TryGetValue(errorLogs[^1].Id, out var decisive))
        {
            rootCause += $" Log: {Message(decisive)}";
        }

        var citations = pack.Items.Where(i => i.Section == EvidenceSection.Knowledge).Select(i => i.Id).Take(1).ToList();
        var steps = new List<string>(Steps.GetValueOrDefault(incident.Category) ?? ["Review the evidence below and the affected objects"]);
        if (citations.Count > 0 && lines.TryGetValue(citations[0], out var runbook))
        {
            steps.Add(Truncate($"Follow the runbook {Message(runbook)}", AnswerContract.MaxStepChars));
        }

        var confidence = 0.5
            + (primary is { Active: true, Severity: >= Severity.Error } ? 0.15 : 0)
            + (errorLogs.Count > 0 || evidence.Any(e => e.StartsWith("ev:", StringComparison.Ordinal)) ? 0.1 : 0)
            + (citations.Count > 0 ? 0.1 : 0);

        return new DiagnosisAnswer(
            Truncate(rootCause.Trim(), AnswerContract.MaxRootCauseChars),
            incident.Layer != Layer.Unspecified ? incident.Layer : incident.Subject?.Layer ?? Layer.Unspecified,
            Math.Min(MaxConfidence, confidence),
            evidence,
            [.. steps.Take(AnswerContract.MaxSteps).Select(s => Truncate(s, AnswerContract.MaxStepChars))],
            citations,
            Actions(incident, contract));
    }

    /// <summary>Catalog actions that mitigate a category without changing any spec, on objects the pack shows.</summary>
    private static List<ProposedAction> Actions(Incident incident, AnswerContract contract)
    {
        (string Action, string Kind, string Reason)? rule = incident.Category switch
        {
            "NodeFailure" or "NodePressure" => (RemediationCatalog.CordonNode, "Node", "keep new pods off the failing node while it is repaired"),
            "JobFailed" => (RemediationCatalog.RerunJob, "Job", "rerun the job once its cause is fixed"),
            "VClusterControlPlane" => (RemediationCatalog.RolloutRestart, "StatefulSet", "restart the vCluster control plane once its storage and resources are healthy"),
            _ => null,
        };
        if (rule is not { } r || RemediationCatalog.Find(r.Action) is not { } action)
        {
            return [];
        }

        var target = contract.Targets.Values.FirstOrDefault(t => t.Kind == r.Kind && (Same(t, incident.Subject) || incident.Signals.Any(s => Same(t, s.Cause))))
            ?? contract.Targets.Values.FirstOrDefault(t => t.Kind == r.Kind);
        return target is null ? [] : [new ProposedAction(action, target, new Dictionary<string, string>(), action.MinimumRisk, r.Reason)];
    }

    /// <summary>The pack's lines by the id they start with (<c>[log:3] ...</c>).</summary>
    private static Dictionary<string, string> Lines(string text)
    {
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var match = IdPrefix().Match(line);
            if (match.Success)
            {
                lines.TryAdd(match.Groups[1].Value, line[match.Length..].Trim());
            }
        }

        return lines;
    }

    private static string Message(string line) => Truncate(line.Trim(), 200);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static bool Same(ObjectRef? a, ObjectRef? b) =>
        a is not null && b is not null && a.Cluster == b.Cluster && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name;

    internal static string Label(ObjectRef r) =>
        $"{r.Cluster}/{r.Kind} {(r.Namespace.Length > 0 ? r.Namespace + "/" : "")}{r.Name}";

    [GeneratedRegex(@"^\[([a-z]+:\d+)\]\s?")]
    private static partial Regex IdPrefix();

    [GeneratedRegex(@"\b(FATAL|ERROR|PANIC|CRITICAL|panic:|Exception|error|failed|refused|denied|expired|not set|no such|cannot|unable)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorWords();
}
