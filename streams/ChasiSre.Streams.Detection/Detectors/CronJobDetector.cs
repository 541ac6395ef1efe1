using System.Globalization;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// k8sgpt's CronJob checks (suspended, invalid schedule, negative startingDeadlineSeconds) plus what it lacks: missed runs
/// (lastScheduleTime older than the latest time the schedule says it should have run, beyond <see cref="Tolerance"/> or
/// startingDeadlineSeconds) and failing history (the most recent finished Jobs of the CronJob failed).
/// </summary>
public sealed class CronJobDetector : IDetector
{
    /// <summary>How late a run may start before it counts as missed (the controller syncs every 10 s).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const int HistoryLength = 3;

    public string Name => "cronjob.schedule";

    public IReadOnlyCollection<string> Kinds { get; } = ["CronJob", "Job"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        var cronJob = subject.Ref.Kind switch
        {
            "CronJob" => subject,
            "Job" when KubeJson.Controller(subject.Json) is { Kind: "CronJob" } owner => state.Find(subject.Ref.Cluster, "CronJob", subject.Ref.Namespace, owner.Name),
            _ => null,
        };
        return cronJob is null ? [] : Judge(cronJob, state);
    }

    private IEnumerable<Finding> Judge(KubeObject cronJob, IClusterState state)
    {
        var reference = cronJob.Ref;
        var json = cronJob.Json;
        var scheduleText = KubeJson.Str(json, "spec", "schedule");
        if (KubeJson.Bool(json, "spec", "suspend") == true)
        {
            yield return new Finding(Name, IncidentCategory.JobFailed, reference, Severity.Info, "Suspended",
                $"{Refs.Describe(reference)} is suspended: schedule {scheduleText} does not run.", [$"{Refs.Describe(reference)} spec.suspend true, schedule {scheduleText}"]);
            yield break;
        }

        var deadline = KubeJson.Long(json, "spec", "startingDeadlineSeconds");
        if (deadline is < 0)
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Error, "NegativeStartingDeadline",
                $"{Refs.Describe(reference)} has a negative startingDeadlineSeconds ({deadline}); no run can start.", [$"spec.startingDeadlineSeconds {deadline}"]);
        }

        if (!CronSchedule.TryParse(scheduleText, out var schedule, out var error))
        {
            yield return new Finding(Name, IncidentCategory.ConfigError, reference, Severity.Error, "InvalidSchedule",
                $"{Refs.Describe(reference)} has an invalid schedule \"{scheduleText}\": {error}.", [$"spec.schedule \"{scheduleText}\": {error}"]);
            yield break;
        }

        var zone = Zone(KubeJson.Str(json, "spec", "timeZone"));
        var last = KubeJson.Time(json, "status", "lastScheduleTime");
        var since = last ?? KubeJson.Time(json, "metadata", "creationTimestamp");
        var tolerance = deadline is > 0 ? TimeSpan.FromSeconds(Math.Max(deadline.Value, Tolerance.TotalSeconds)) : Tolerance;
        if (since is { } from && deadline is not < 0)
        {
            var missed = schedule!.Between(from, state.Now - tolerance, 100, zone);
            if (missed.Count > 0)
            {
                var active = KubeJson.Items(json, "status", "active").Select(a => KubeJson.Str(a, "name")).OfType<string>().ToList();
                var evidence = new List<string>
                {
                    $"{Refs.Describe(reference)} schedule \"{schedule.Text}\"{(zone == TimeZoneInfo.Utc ? "" : $" ({zone.Id})")}, lastScheduleTime {(last is null ? "never" : KubeJson.Stamp(last))}",
                    $"missed {(missed.Count >= 100 ? "100+" : missed.Count.ToString(CultureInfo.InvariantCulture))} runs, first due {KubeJson.Stamp(missed[0])}, latest due {KubeJson.Stamp(missed[^1])}",
                };
                if (active.Count > 0)
                {
                    evidence.Add($"still active: {EvidenceText.List(active)} (concurrencyPolicy {KubeJson.Str(json, "spec", "concurrencyPolicy") ?? "Allow"})");
                }

                evidence.AddRange(EvidenceText.Warnings(state, reference).TakeLast(2).Select(EvidenceText.Event));
                yield return new Finding(Name, IncidentCategory.JobFailed, reference, Severity.Warning, "MissedRuns",
                    $"{Refs.Describe(reference)} has not run since {(last is null ? "it was created" : KubeJson.Stamp(last))} although schedule \"{schedule.Text}\" was due at {KubeJson.Stamp(missed[^1])}.", evidence)
                {
                    Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["missedRuns"] = missed.Count.ToString(CultureInfo.InvariantCulture) },
                };
            }
        }

        var finished = state.ListOwnedBy(reference, "Job")
            .Select(job => (Job: job, Outcome: Outcome(job), At: KubeJson.Time(job.Json, "status", "completionTime") ?? KubeJson.Time(job.Json, "metadata", "creationTimestamp") ?? DateTimeOffset.MinValue))
            .Where(x => x.Outcome is not null)
            .OrderByDescending(x => x.At)
            .Take(HistoryLength)
            .ToList();
        if (finished.Count > 0 && finished[0].Outcome == "Failed")
        {
            var failed = finished.Count(x => x.Outcome == "Failed");
            var evidence = finished.Select(x => EvidenceText.Cut($"Job {x.Job.Ref.Name} {x.Outcome} at {KubeJson.Stamp(x.At)}{FailureReason(x.Job)}")).ToList();
            yield return new Finding(Name, IncidentCategory.JobFailed, reference, failed > 1 ? Severity.Error : Severity.Warning, "RecentJobsFailed",
                $"{Refs.Describe(reference)}: {failed} of its last {finished.Count} runs failed, the latest included.", evidence)
            {
                Related = [.. finished.Select(x => x.Job.Ref)],
            };
        }
    }

    private static string? Outcome(KubeObject job) =>
        KubeJson.Condition(job.Json, "Failed") is { } f && KubeJson.Str(f, "status") == "True" ? "Failed"
        : KubeJson.Condition(job.Json, "Complete") is { } c && KubeJson.Str(c, "status") == "True" ? "Complete"
        : null;

    private static string FailureReason(KubeObject job) =>
        KubeJson.Condition(job.Json, "Failed") is { } f && KubeJson.Str(f, "status") == "True"
            ? $": {KubeJson.Str(f, "reason")} {KubeJson.Str(f, "message")}".TrimEnd()
            : "";

    private static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
