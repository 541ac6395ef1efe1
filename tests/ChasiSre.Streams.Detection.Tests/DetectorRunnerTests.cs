using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Detection.Tests;

public sealed class DetectorRunnerTests
{
    [Fact]
    public void Run_DetectorThrows_OthersStillRunAndFailureIsLoggedAndCounted()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        var pod = clusters.Add("team-a", Objects.Pod("web-7d9f-a", ready: false, containerState: """{"waiting":{"reason":"CrashLoopBackOff"}}"""))!;
        var logger = new RecordingLogger();
        var runner = new DetectorRunner([new ThrowingDetector(), new Detectors.PodCrashLoopDetector()], logger);

        var findings = runner.Run(pod, clusters.State);

        Assert.Single(findings, f => f.Detector == "pod.crashloop");
        Assert.Equal(1, runner.Failures);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Error, 2000), (entry.Level, entry.EventId));
        Assert.Contains("test.throws", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoDetectorsWithOneName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DetectorRunner([new Detectors.PodCrashLoopDetector(), new Detectors.PodCrashLoopDetector()]));
    }

    [Fact]
    public void Run_KindNoDetectorWants_NoFinding()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        var runner = new DetectorRunner(DetectorCatalog.All());
        var serviceAccount = clusters.Add("team-a", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"web","namespace":"shop"}}""")!;

        Assert.Empty(runner.Run(serviceAccount, clusters.State));
        Assert.DoesNotContain("ServiceAccount", runner.Kinds);
    }

    [Fact]
    public void Catalog_AllDetectors_UniqueDottedNamesAndIncidentsPlusPostureIsAll()
    {
        var all = DetectorCatalog.All();

        Assert.Equal(all.Count, all.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, d => Assert.Matches("^[a-z]+\\.[a-z-]+$", d.Name));
        Assert.All(all, d => Assert.NotEmpty(d.Kinds));
        Assert.Equal(DetectorCatalog.Incidents().Count + DetectorCatalog.Posture().Count, all.Count);
        Assert.NotSame(DetectorCatalog.All()[0], DetectorCatalog.All()[0]);
    }

    [Fact]
    public void Catalog_EveryDetector_HasFiringAndBenignRowsInTheTables()
    {
        var rows = new[] { PodDetectorTests.Table, WorkloadDetectorTests.Table, NetworkDetectorTests.Table, ClusterDetectorTests.Table, VClusterDetectorTests.Table }
            .SelectMany(t => t)
            .Select(row => (Detector: row.Data.Item1, Fires: row.Data.Item3 is not null))
            .Concat(CronJobDetectorTests.Table.Select(row => (Detector: "cronjob.schedule", Fires: row.Data.Item2 is not null)))
            .ToList();

        foreach (var detector in DetectorCatalog.All())
        {
            Assert.True(rows.Any(r => r.Detector == detector.Name && r.Fires), $"{detector.Name} has no firing case");
            Assert.True(rows.Any(r => r.Detector == detector.Name && !r.Fires), $"{detector.Name} has no benign case");
        }
    }

    [Fact]
    public void Detect_OddInput_NoDetectorThrows()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        var odd = new[]
        {
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"odd","namespace":"shop","ownerReferences":"nope"},"spec":{"containers":7},"status":{"phase":3,"containerStatuses":[{"state":{"waiting":null},"restartCount":"many"}],"conditions":{}}}""",
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"odd","namespace":"shop"},"spec":{"replicas":"two"},"status":{"conditions":[{"type":"Progressing"}]}}""",
            """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"odd","namespace":"shop"},"spec":{"schedule":42}}""",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"odd","namespace":"shop"},"spec":{"selector":["x"]}}""",
            """{"apiVersion":"v1","kind":"Node","metadata":{"name":"odd"},"status":{"conditions":[{"status":"True"}, 5]}}""",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"odd"},"webhooks":[{"clientConfig":{"service":{}}}]}""",
        };
        foreach (var json in odd)
        {
            clusters.Add("team-a", json);
        }

        var runner = new DetectorRunner(DetectorCatalog.All());
        _ = runner.Scan(clusters.State);

        Assert.Equal(0, runner.Failures);
    }

    private sealed class ThrowingDetector : IDetector
    {
        public string Name => "test.throws";

        public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

        public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state) => throw new InvalidOperationException("detector bug");
    }

    private sealed class RecordingLogger : ILogger<DetectorRunner>
    {
        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
    }
}
