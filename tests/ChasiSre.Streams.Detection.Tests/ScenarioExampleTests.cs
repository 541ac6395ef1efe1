using ChasiSre.Ingest.Scenarios;
using ChasiSre.TestKit;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>The three shared example scenarios, replayed through ingest's normalizer into the in-memory state: every
/// expected incident has a finding of its category whose subject (or a related object) is the expected subject and whose
/// evidence holds the expected strings; no finding is about an <c>absent</c> subject; and every finding is explained by
/// the expected incident (same subject, or caused by it), so the correlator can keep within maxIncidents.</summary>
public sealed class ScenarioExampleTests
{
    [Theory]
    [InlineData("crashloop-missing-env")]
    [InlineData("host-quota-rejects-twin")]
    [InlineData("node-disk-pressure-evictions")]
    public void Scan_SharedExample_FindsEveryExpectedIncidentAndNoAbsentSubject(string name)
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example(name));
        var clusters = Replay(scenario);

        var findings = new DetectorRunner(DetectorCatalog.Incidents()).Scan(clusters.State);

        Assert.NotNull(scenario.Expect);
        foreach (var expected in scenario.Expect.Incidents)
        {
            var matching = findings.Where(f => f.Category.ToString() == expected.Category && IsSubject(f, expected.Subject)).ToList();
            Assert.True(matching.Count > 0, $"no {expected.Category} finding about {expected.Subject}; found: {Describe(findings)}");
            foreach (var text in expected.Evidence)
            {
                Assert.True(
                    matching.Any(f => EvidencePack(f).Contains(text, StringComparison.OrdinalIgnoreCase)),
                    $"evidence '{text}' missing from {Describe(matching)}");
            }
        }

        foreach (var absent in scenario.Expect.Absent)
        {
            Assert.DoesNotContain(findings, f => Matches(f.Subject, absent));
        }

        var explained = findings.Where(f => !scenario.Expect.Incidents.Any(e => IsSubject(f, e.Subject) || (f.Cause is { } cause && Matches(cause, e.Subject)))).ToList();
        Assert.True(explained.Count == 0, $"findings unrelated to the expected incidents: {Describe(explained)}");
    }

    [Fact]
    public void Scan_CrashloopExample_SubjectIsDeploymentWithLogLineAndBothPods()
    {
        var clusters = Replay(ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env")));

        var findings = new DetectorRunner(DetectorCatalog.Incidents()).Scan(clusters.State);

        var crash = Assert.Single(findings, f => f.Detector == "pod.crashloop");
        Assert.Equal(("team-a", "Deployment", "shop", "checkout"), (crash.Subject.Cluster, crash.Subject.Kind, crash.Subject.Namespace, crash.Subject.Name));
        Assert.Equal(IncidentCategory.CrashLoop, crash.Category);
        Assert.Contains(crash.Evidence, e => e.Contains("required environment variable DEPLOY_ENV is not set", StringComparison.Ordinal) && e.Contains("previous instance", StringComparison.Ordinal));
        Assert.Contains(crash.Evidence, e => e.Contains("BackOff x14", StringComparison.Ordinal));
        Assert.Equal("2", crash.Attributes["podCount"]);
        Assert.Equal(2, crash.Related.Count);
        var service = Assert.Single(findings, f => f.Detector == "service.endpoints");
        Assert.Equal("checkout", service.Cause?.Name);
    }

    [Fact]
    public void Scan_HostQuotaExample_CauseIsHostQuotaInVClusterNamespace()
    {
        var clusters = Replay(ScenarioLoader.Load(SharedExamples.Example("host-quota-rejects-twin")));

        var findings = new DetectorRunner(DetectorCatalog.Incidents()).Scan(clusters.State);

        var quota = Assert.Single(findings);
        Assert.Equal(IncidentCategory.QuotaExceeded, quota.Category);
        Assert.Equal(("team-b", "Deployment", "report-worker"), (quota.Subject.Cluster, quota.Subject.Kind, quota.Subject.Name));
        Assert.NotNull(quota.Cause);
        Assert.Equal(("host", "ResourceQuota", "vcluster-team-b", "vc-team-b", Schemas.V1.Layer.Host), (quota.Cause.Cluster, quota.Cause.Kind, quota.Cause.Namespace, quota.Cause.Name, quota.Cause.Layer));
        Assert.Contains(quota.Evidence, e => e.Contains("limits.memory used 3840Mi of 4Gi", StringComparison.Ordinal));
        Assert.Contains(quota.Evidence, e => e.Contains("host twin", StringComparison.Ordinal) && e.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_NodePressureExample_NodeFindingListsEvictedPodsOfBothTenants()
    {
        var clusters = Replay(ScenarioLoader.Load(SharedExamples.Example("node-disk-pressure-evictions")));

        var findings = new DetectorRunner(DetectorCatalog.Incidents()).Scan(clusters.State);

        var node = Assert.Single(findings, f => f.Detector == "node.conditions");
        Assert.Equal(("host", "Node", "worker-2"), (node.Subject.Cluster, node.Subject.Kind, node.Subject.Name));
        Assert.Equal("2", node.Attributes["evictedPods"]);
        Assert.Equal("team-a,team-c", node.Attributes["tenants"]);
        Assert.Contains(node.Evidence, e => e.Contains("cart-84f9c6b7d-cc22d", StringComparison.Ordinal));
        Assert.Contains(node.Evidence, e => e.Contains("invoicer-84f9c6b7d-cc22d", StringComparison.Ordinal));
        Assert.All(findings.Where(f => f.Detector == "pod.evicted"), f => Assert.Equal("worker-2", f.Cause?.Name));
    }

    internal static TestClusters Replay(Scenario scenario)
    {
        var operations = ScenarioTimeline.Build(scenario);
        var clusters = new TestClusters(scenario.StartTime);
        foreach (var cluster in scenario.Clusters.Where(c => c.VCluster is not null))
        {
            clusters.AddVCluster(cluster.Name, cluster.VCluster!.HostNamespace);
        }

        foreach (var operation in operations)
        {
            clusters.State.SetNow(scenario.StartTime + operation.At);
            switch (operation)
            {
                case ApplyObject apply:
                    // As the API server serves it: JSON text, so numbers read as a watch would read them.
                    clusters.Add(apply.Cluster, apply.Object.ToJsonString());
                    break;
                case DeleteObject delete:
                    clusters.Remove(delete.Cluster, delete.Kind, delete.Namespace, delete.Name);
                    break;
                case SetPodLogs logs:
                    clusters.Logs(logs.Cluster, logs.Namespace, logs.Pod, logs.Container, logs.Previous, [.. logs.Lines]);
                    break;
                default:
                    break; // metrics and business signals are not cluster state
            }
        }

        return clusters;
    }

    private static bool IsSubject(Finding finding, SubjectKey subject) =>
        Matches(finding.Subject, subject) || finding.Related.Any(r => Matches(r, subject));

    private static bool Matches(Schemas.V1.ObjectRef reference, SubjectKey subject) =>
        reference.Cluster == subject.Cluster && reference.Kind == subject.Kind && reference.Name == subject.Name
        && reference.Namespace == (subject.Namespace ?? "");

    private static string EvidencePack(Finding f) => string.Join('\n', [f.Message, .. f.Evidence]);

    private static string Describe(IEnumerable<Finding> findings) =>
        string.Join(" | ", findings.Select(f => $"{f.Key} {f.Category}: {f.Message} [{string.Join("; ", f.Evidence)}]"));
}
