using System.Text.Json.Nodes;

namespace ChasiSre.Streams.Detection.Tests;

public sealed class CronJobDetectorTests
{
    private const string A = "team-a";

    private static readonly Dictionary<string, DetectorCase> Cases = new(StringComparer.Ordinal)
    {
        ["suspended"] = Cron(CronJob("*/5 * * * *", lastSchedule: -60, suspend: true)),
        ["invalid-schedule"] = Cron(CronJob("61 * * * *", lastSchedule: -60)),
        ["negative-deadline"] = Cron(CronJob("*/5 * * * *", lastSchedule: -60, startingDeadline: -10)),
        ["missed-runs"] = Cron(CronJob("@hourly", lastSchedule: -4 * 3600)),
        ["never-ran"] = Cron(CronJob("*/10 * * * *", lastSchedule: null, created: -3600)),
        ["on-schedule"] = Cron(CronJob("@hourly", lastSchedule: 0)),
        ["due-within-tolerance"] = Cron(CronJob("*/10 * * * *", lastSchedule: -600)),
        ["daily-ran-today"] = Cron(CronJob("0 2 * * *", lastSchedule: -8 * 3600)),
        ["history-failing"] = Cron(CronJob("@hourly", lastSchedule: 0), c =>
        {
            c.Add(A, Job("report-1", -7200, failed: true));
            c.Add(A, Job("report-2", -3600, failed: true));
            c.Add(A, Job("report-3", -60, failed: true));
        }),
        ["history-recovered"] = Cron(CronJob("@hourly", lastSchedule: 0), c =>
        {
            c.Add(A, Job("report-1", -7200, failed: true));
            c.Add(A, Job("report-2", -60, failed: false));
        }),
    };

    public static TheoryData<string, string?, string?> Table => new()
    {
        { "suspended", "Suspended", "JobFailed" },
        { "invalid-schedule", "InvalidSchedule", "ConfigError" },
        { "negative-deadline", "NegativeStartingDeadline", "ConfigError" },
        { "missed-runs", "MissedRuns", "JobFailed" },
        { "never-ran", "MissedRuns", "JobFailed" },
        { "on-schedule", null, null },
        { "due-within-tolerance", null, null },
        { "daily-ran-today", null, null },
        { "history-failing", "RecentJobsFailed", "JobFailed" },
        { "history-recovered", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_CronJobCase_ExpectedFinding(string caseName, string? reason, string? category) =>
        Cases[caseName].Expect("cronjob.schedule", reason, category);

    [Fact]
    public void Detect_MissedHourlyRuns_CountsThemAndNamesTheLatestDueTime()
    {
        var finding = Cases["missed-runs"].Expect("cronjob.schedule", "MissedRuns", "JobFailed")!;

        // Last run 06:00; 07:00, 08:00 and 09:00 were missed; 10:00 is due now and still within the tolerance.
        Assert.Equal("3", finding.Attributes["missedRuns"]);
        Assert.Contains("due at 2026-03-01T09:00:00Z", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_JobOfFailingCronJob_ReportsTheCronJob()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        Cases["history-failing"].Setup(clusters);

        var findings = clusters.Detect(new Detectors.CronJobDetector(), A, "Job", "shop", "report-3");

        var finding = Assert.Single(findings);
        Assert.Equal(("CronJob", "report"), (finding.Subject.Kind, finding.Subject.Name));
        Assert.Equal(3, finding.Related.Count);
        Assert.Equal(Schemas.V1.Severity.Error, finding.Severity);
    }

    private static DetectorCase Cron(JsonObject cronJob, Action<TestClusters>? more = null) => new(c =>
    {
        c.Add(A, cronJob);
        more?.Invoke(c);
    }, A, "CronJob", "shop", "report");

    private static JsonObject CronJob(string schedule, int? lastSchedule, bool suspend = false, int? startingDeadline = null, int created = -86400 * 30)
    {
        var obj = Objects.Parse($$$"""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report","namespace":"shop","uid":"uid-cron-report","creationTimestamp":"{{{Objects.Time(created)}}}"},
             "spec":{"schedule":"{{{schedule}}}","suspend":{{{(suspend ? "true" : "false")}}},"jobTemplate":{"spec":{} } },
             "status":{}}
            """);
        if (lastSchedule is { } last)
        {
            obj["status"]!["lastScheduleTime"] = Objects.Time(last);
        }

        if (startingDeadline is { } deadline)
        {
            obj["spec"]!["startingDeadlineSeconds"] = deadline;
        }

        return obj;
    }

    private static JsonObject Job(string name, int completedAt, bool failed) => Objects.Parse($$$"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-job-{{{name}}}","creationTimestamp":"{{{Objects.Time(completedAt - 30)}}}",
          "ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob","name":"report","uid":"uid-cron-report","controller":true}]},
         "status":{"completionTime":"{{{Objects.Time(completedAt)}}}","conditions":[{"type":"{{{(failed ? "Failed" : "Complete")}}}","status":"True","reason":"{{{(failed ? "BackoffLimitExceeded" : "")}}}"}]}}
        """);
}
