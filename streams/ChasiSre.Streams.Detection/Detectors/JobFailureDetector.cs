using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's Job checks: suspended Jobs, and Jobs that failed (Failed=True: BackoffLimitExceeded, DeadlineExceeded)
/// or are not complete with three failed pods (or backoffLimit when smaller; fewer is a retry within budget, which k8sgpt
/// reports), with the failed pods' last termination and log lines. A Job a CronJob owns is
/// reported with the CronJob as subject.</summary>
public sealed class JobFailureDetector : IDetector
{
    public string Name => "job.failed";

    public IReadOnlyCollection<string> Kinds { get; } = ["Job"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "Job")
        {
            yield break;
        }

        var workload = Workloads.Of(subject, state);
        var related = Refs.SameObject(workload.Ref, subject.Ref) ? Array.Empty<ObjectRef>() : [subject.Ref];
        if (KubeJson.Bool(subject.Json, "spec", "suspend") == true)
        {
            yield return new Finding(Name, IncidentCategory.JobFailed, workload.Ref, Severity.Info, "Suspended",
                $"{Refs.Describe(subject.Ref)} is suspended.", [$"{Refs.Describe(subject.Ref)} spec.suspend true"])
            { Related = related };
            yield break;
        }

        var complete = KubeJson.Condition(subject.Json, "Complete") is { } c && KubeJson.Str(c, "status") == "True";
        var failedCondition = KubeJson.Condition(subject.Json, "Failed") is { } f && KubeJson.Str(f, "status") == "True" ? f : (System.Text.Json.JsonElement?)null;
        var failedPods = KubeJson.Long(subject.Json, "status", "failed") ?? 0;
        var backoffLimit = KubeJson.Long(subject.Json, "spec", "backoffLimit") ?? 6;
        if (complete || (failedCondition is null && failedPods < RetriesWorthReporting(backoffLimit)))
        {
            yield break;
        }

        var evidence = new List<string>
        {
            $"{Refs.Describe(subject.Ref)} succeeded {KubeJson.Long(subject.Json, "status", "succeeded") ?? 0}, failed {failedPods}, active {KubeJson.Long(subject.Json, "status", "active") ?? 0}, backoffLimit {backoffLimit}",
        };
        var reason = "PodsFailing";
        if (failedCondition is { } fc)
        {
            reason = KubeJson.Str(fc, "reason") ?? "Failed";
            evidence.Add(EvidenceText.Cut($"condition Failed=True {reason}: {KubeJson.Str(fc, "message")}"));
        }

        foreach (var pod in state.ListOwnedBy(subject.Ref, "Pod").Where(p => KubeJson.Str(p.Json, "status", "phase") == "Failed" || ContainerStatus.Of(p).Any(s => s.TerminatedExitCode is > 0 || s.LastExitCode is > 0)).OrderBy(p => p.Ref.Name, StringComparer.Ordinal).TakeLast(2))
        {
            evidence.Add(PodFindings.StatusLine(pod));
            evidence.AddRange(ContainerStatus.Of(pod).Where(s => s.TerminatedExitCode is > 0 || s.LastExitCode is > 0).Select(s => s.Describe()).Take(1));
            evidence.AddRange(EvidenceText.DecisiveLogLines(state, pod.Ref, null, preferPrevious: false, max: 3));
        }

        yield return new Finding(Name, IncidentCategory.JobFailed, workload.Ref, failedCondition is null ? Severity.Warning : Severity.Error, reason,
            $"{Refs.Describe(subject.Ref)} {(failedCondition is null ? $"has {failedPods} failed pods" : $"failed: {reason}")}.", evidence)
        {
            Related = related,
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["job"] = subject.Ref.Name },
        };
    }

    // A Job retrying a failed pod within its backoffLimit is the controller doing its job (a flaky first attempt that the
    // retry fixes is not an incident); failing pods become a finding once they form a pattern (three failures, or the whole
    // budget when it is smaller), before the Job gives up with Failed=True.
    private static long RetriesWorthReporting(long backoffLimit) => Math.Max(1, Math.Min(3, backoffLimit));
}
