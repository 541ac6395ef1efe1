using ChasiSre.Ingest.Scenarios;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>The judge itself: a replay that is right passes, and each kind of wrong expectation is reported.</summary>
public sealed class ScenarioJudgeTests
{
    private static readonly SubjectKey ReportWorker = new("team-b", "Deployment", "analytics", "report-worker");

    private static (ScenarioExpectations Expect, ScenarioOutcome Outcome) HostQuotaExample()
    {
        var scenario = ScenarioLoader.Load(ScenarioCorpus.Locate(ScenarioCorpus.ExamplePrefix + "host-quota-rejects-twin"));
        return (scenario.Expect!, ScenarioPipeline.Run(scenario));
    }

    [Fact]
    public void Judge_ExampleAsWritten_NoFailures()
    {
        var (expect, outcome) = HostQuotaExample();

        Assert.Empty(ScenarioJudge.Judge(expect, outcome.Incidents));
    }

    [Fact]
    public void Judge_WrongCategory_ReportsNoIncidentOfThatCategory()
    {
        var (expect, outcome) = HostQuotaExample();
        var wrong = expect with { Incidents = [new ExpectedIncident(ReportWorker, "ImagePull", IncidentLayer.Host, [])] };

        var failure = Assert.Single(ScenarioJudge.Judge(wrong, outcome.Incidents));

        Assert.Contains("no incident of that category", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_WrongLayer_ReportsTheActualLayer()
    {
        var (expect, outcome) = HostQuotaExample();
        var wrong = expect with { Incidents = [new ExpectedIncident(ReportWorker, "QuotaExceeded", IncidentLayer.Virtual, [])] };

        var failure = Assert.Single(ScenarioJudge.Judge(wrong, outcome.Incidents));

        Assert.Contains("layer Host", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_EvidenceNotInSignals_ReportsTheMissingString()
    {
        var (expect, outcome) = HostQuotaExample();
        var wrong = expect with { Incidents = [new ExpectedIncident(ReportWorker, "QuotaExceeded", IncidentLayer.Host, ["VC-TEAM-B", "DATABASE_URL"])] };

        var failure = Assert.Single(ScenarioJudge.Judge(wrong, outcome.Incidents));

        Assert.Contains("'DATABASE_URL'", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("'VC-TEAM-B'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_PodOfTheWorkload_MatchesThroughAffectedObjects()
    {
        var (expect, outcome) = HostQuotaExample();
        var pod = new SubjectKey("team-b", "Pod", "analytics", "report-worker-5c8d9f7b6-h2j4k");
        var byPod = expect with { Incidents = [new ExpectedIncident(pod, "QuotaExceeded", IncidentLayer.Host, [])] };

        Assert.Empty(ScenarioJudge.Judge(byPod, outcome.Incidents));
    }

    [Fact]
    public void Judge_AbsentSubjectAndNoiseBudget_BothReported()
    {
        var (expect, outcome) = HostQuotaExample();
        var wrong = expect with { Absent = [ReportWorker], MaxIncidents = 0 };

        var failures = ScenarioJudge.Judge(wrong, outcome.Incidents);

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("must not be the subject", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("at most 0 allowed", StringComparison.Ordinal));
    }
}
