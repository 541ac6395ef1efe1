using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Metrics.Tests;

public sealed class WorkloadPcaMonitorTests
{
    private static readonly ObjectRef Deployment = new()
    {
        Cluster = "team-a",
        Tenant = "team-a",
        Layer = Layer.Virtual,
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Namespace = "shop",
        Name = "checkout",
    };

    private static readonly ObjectRef PodRef = Samples.Pod("checkout-6d5f7c9b8-x2x9p");

    private static WorkloadPcaMonitor Monitor(WorkloadPcaOptions? options = null) =>
        new(options ?? new WorkloadPcaOptions(), subject => subject.Kind == "Pod" ? Deployment : subject);

    /// <summary>Minute by minute: CPU, memory, latency samples and one log line of the pod; <paramref name="incident"/> says which minutes misbehave.</summary>
    private static List<SourceFindings> Feed(WorkloadPcaMonitor monitor, int fromMinute, int minutes, Func<int, bool> incident, int seed = 3, List<WorkloadPcaVerdict>? verdicts = null)
    {
        var random = new Random(seed + fromMinute);
        var changes = new List<SourceFindings>();
        for (var m = fromMinute; m < fromMinute + minutes; m++)
        {
            var at = Samples.Start.AddMinutes(m);
            var bad = incident(m);
            var cpu = (bad ? 1.9 : 0.5) + (0.05 * Samples.Gaussian(random));
            var memory = 2e8 + (5e6 * Samples.Gaussian(random));
            var latency = (bad ? 1.8 : 0.2) + (0.01 * Samples.Gaussian(random));
            changes.AddRange(monitor.Observe(Samples.Sample("container_cpu_usage_cores", PodRef, [(at, cpu)])));
            Collect(monitor, verdicts);
            changes.AddRange(monitor.Observe(Samples.Sample("container_memory_working_set_bytes", PodRef, [(at, memory)])));
            Collect(monitor, verdicts);
            changes.AddRange(monitor.Observe(Samples.Sample("http_request_duration_seconds_p99", PodRef, [(at, latency)])));
            Collect(monitor, verdicts);
            var lines = bad ? 20 : (m % 3 == 0 ? 1 : 0);
            for (var i = 0; i < Math.Max(1, lines); i++)
            {
                changes.AddRange(monitor.ObserveLog(new LogRecord
                {
                    Source = PodRef,
                    At = Timestamp.FromDateTimeOffset(at.AddSeconds(i)),
                    Level = lines > 0 ? LogLevel.Error : LogLevel.Info,
                    Message = lines > 0 ? "POST /pay failed" : "ok",
                }));
                Collect(monitor, verdicts);
            }
        }

        return changes;
    }

    private static void Collect(WorkloadPcaMonitor monitor, List<WorkloadPcaVerdict>? verdicts) => verdicts?.AddRange(monitor.LastVerdicts);

    [Fact]
    public void Observe_LatencyAndErrorBurst_RaisesWorkloadFindingWithModelVersion()
    {
        var monitor = Monitor();

        var changes = Feed(monitor, 0, 24 * 60, m => m is >= (20 * 60) and < (20 * 60) + 20);

        var raised = changes.Where(c => c.Findings.Count > 0).ToList();
        Assert.NotEmpty(raised);
        var finding = raised[0].Findings[0];
        Assert.Equal(IncidentCategory.MetricAnomaly, finding.Category);
        Assert.Equal(WorkloadPcaMonitor.DetectorName, finding.Detector);
        Assert.Equal(Deployment, finding.Subject);
        Assert.Equal(WorkloadPcaMonitor.SourceKey(Deployment), raised[0].SourceKey);
        Assert.True(double.Parse(finding.Attributes["score"], System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(finding.Attributes["threshold"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(int.Parse(finding.Attributes["model.version"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("latency", finding.Attributes.Keys.Select(k => k.Replace("feature.", "", StringComparison.Ordinal)));
        Assert.StartsWith("2026-03-01T20:", finding.Attributes["first_anomaly"], StringComparison.Ordinal);
        Assert.Empty(changes[^1].Findings);
    }

    [Fact]
    public void Observe_SteadyWorkload_RaisesNothing()
    {
        var monitor = Monitor();

        var changes = Feed(monitor, 0, 36 * 60, _ => false);

        Assert.Empty(changes);
        Assert.True(monitor.ModelVersion(Deployment) >= 2);
    }

    [Fact]
    public void Observe_SlidingHistory_RetrainsAndVersionsTheModel()
    {
        var options = new WorkloadPcaOptions { MinTrainingWindows = 24, RetrainEvery = 12, HistoryWindows = 48 };
        var monitor = Monitor(options);

        Feed(monitor, 0, (24 * 5) + 1, _ => false);
        Assert.Equal(1, monitor.ModelVersion(Deployment));
        Assert.Equal(24, monitor.Model(Deployment)!.TrainedOn);

        Feed(monitor, (24 * 5) + 1, 12 * 5, _ => false);
        Assert.Equal(2, monitor.ModelVersion(Deployment));

        Feed(monitor, (36 * 5) + 1, 60 * 5, _ => false);
        Assert.Equal(7, monitor.ModelVersion(Deployment));
        Assert.Equal(48, monitor.Model(Deployment)!.TrainedOn);
    }

    [Fact]
    public void Train_SameHistoryTwice_SameThresholdAndScores()
    {
        var first = Monitor();
        var second = Monitor();

        Feed(first, 0, 12 * 60, _ => false);
        Feed(second, 0, 12 * 60, _ => false);

        var a = first.Model(Deployment)!;
        var b = second.Model(Deployment)!;
        Assert.Equal(a.Threshold, b.Threshold);
        double[] probe = [0, 1.2, 2.5e8, 3, 0.9];
        Assert.Equal(a.Score(probe), b.Score(probe));
    }

    [Fact]
    public void Snapshot_RestoredMonitor_JudgesTheNextWindowsAlike()
    {
        var original = Monitor();
        Feed(original, 0, 12 * 60, _ => false);
        var snapshot = original.Snapshot();
        var restored = Monitor();

        restored.Restore(snapshot);

        Assert.Equal(original.ModelVersion(Deployment), restored.ModelVersion(Deployment));
        var expected = new List<WorkloadPcaVerdict>();
        var actual = new List<WorkloadPcaVerdict>();
        Feed(original, 12 * 60, 120, m => m > (12 * 60) + 60, verdicts: expected);
        Feed(restored, 12 * 60, 120, m => m > (12 * 60) + 60, verdicts: actual);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(v => (v.Score, v.Threshold, v.ModelVersion)), actual.Select(v => (v.Score, v.Threshold, v.ModelVersion)));
        Assert.Contains(actual, v => v.Anomalous);
    }

    [Fact]
    public void Restore_Garbage_ThrowsInvalidData()
    {
        var monitor = Monitor();
        Feed(monitor, 0, 10 * 60, _ => false);
        var snapshot = monitor.Snapshot();

        Assert.Throws<InvalidDataException>(() => Monitor().Restore(snapshot.AsSpan(0, snapshot.Length / 2)));
        Assert.Throws<InvalidDataException>(() => Monitor().Restore([1, 2, 3, 4, 5, 6]));
    }

    [Fact]
    public void Observe_NonFeatureOrNonFiniteOrSubjectless_Ignored()
    {
        var monitor = Monitor();

        Assert.Empty(monitor.Observe(Samples.Sample("up", PodRef, [(Samples.Start, 1)])));
        Assert.Empty(monitor.Observe(Samples.Sample("container_cpu_usage_cores", null, [(Samples.Start, 1)])));
        Assert.Equal(0, monitor.WorkloadCount);
        Assert.Empty(monitor.Observe(Samples.Sample("container_cpu_usage_cores", PodRef, [(Samples.Start, double.NaN), (Samples.Start, double.PositiveInfinity)])));
        Assert.Equal(1, monitor.WorkloadCount);
    }

    [Fact]
    public void Advance_IdleAndOverCapacity_EvictsWorkloads()
    {
        var monitor = new WorkloadPcaMonitor(new WorkloadPcaOptions { MaxWorkloads = 2 });
        foreach (var name in new[] { "a", "b", "c" })
        {
            monitor.Observe(Samples.Sample("container_cpu_usage_cores", Samples.Pod(name), [(Samples.Start, 1)]));
        }

        Assert.Equal(2, monitor.WorkloadCount);
        Assert.Equal(0, monitor.ModelVersion(Samples.Pod("a")));

        monitor.Advance(Samples.Start.AddDays(1));

        Assert.Equal(0, monitor.WorkloadCount);
    }

    [Fact]
    public void Observe_TwoFeaturesVary_RankOneModelOverThoseTwo()
    {
        var monitor = Monitor(new WorkloadPcaOptions { MinTrainingWindows = 12, HistoryWindows = 24 });
        var random = new Random(5);

        foreach (var minute in Enumerable.Range(0, 90))
        {
            var at = Samples.Start.AddMinutes(minute);
            monitor.Observe(Samples.Sample("container_cpu_usage_cores", PodRef, [(at, 0.5 + (0.05 * Samples.Gaussian(random)))]));
            monitor.Observe(Samples.Sample("container_memory_working_set_bytes", PodRef, [(at, 2e8 + (1e6 * Samples.Gaussian(random)))]));
        }

        var model = monitor.Model(Deployment);
        Assert.NotNull(model);
        Assert.Equal(1, model.Rank);
        Assert.Equal([WorkloadFeature.Cpu, WorkloadFeature.Memory], model.Features);
        Assert.True(double.IsFinite(model.Score([0, 0.9, 2e8, 0, 0])));
    }

    [Fact]
    public void Observe_OnlyOneFeatureVaries_NoModel()
    {
        var monitor = Monitor(new WorkloadPcaOptions { MinTrainingWindows = 12, HistoryWindows = 24 });
        var random = new Random(5);

        foreach (var minute in Enumerable.Range(0, 90))
        {
            monitor.Observe(Samples.Sample("container_cpu_usage_cores", PodRef, [(Samples.Start.AddMinutes(minute), 0.5 + (0.05 * Samples.Gaussian(random)))]));
        }

        Assert.Null(monitor.Model(Deployment));
        Assert.Equal(0, monitor.ModelVersion(Deployment));
    }

    [Fact]
    public void Observe_NothingVaries_NoModelTrained()
    {
        var monitor = Monitor(new WorkloadPcaOptions { MinTrainingWindows = 12, HistoryWindows = 24 });

        foreach (var minute in Enumerable.Range(0, 90))
        {
            monitor.Observe(Samples.Sample("container_memory_working_set_bytes", PodRef, [(Samples.Start.AddMinutes(minute), 2e8)]));
        }

        Assert.Equal(0, monitor.ModelVersion(Deployment));
        Assert.Null(monitor.Model(Deployment));
    }
}
