using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>Metric and business steps become the records ingest and the gateway publish.</summary>
public sealed class ScenarioTelemetryTests
{
    [Fact]
    public void Metric_HostTwinSeries_PodSubjectWithTheVClustersTenantAndAbsoluteTimes()
    {
        var scenario = ScenarioLoader.Load(ScenarioCorpus.Locate("metric-memory-leak-ramp"));
        var operation = ScenarioTimeline.Build(scenario).OfType<PublishMetrics>().First();

        var sample = ScenarioTelemetry.Metric(scenario, operation);

        Assert.Equal("container_memory_working_set_bytes", sample.Name);
        Assert.Equal("container_memory_working_set_bytes{container=\"app\",namespace=\"vcluster-team-a\",pod=\"checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a\"}", sample.Series);
        Assert.Equal(("host", "team-a", Layer.Host, "Pod", "vcluster-team-a"), (sample.Subject.Cluster, sample.Subject.Tenant, sample.Subject.Layer, sample.Subject.Kind, sample.Subject.Namespace));
        Assert.Equal(operation.Samples.Count, sample.Points.Count);
        Assert.Equal(scenario.StartTime.AddDays(-2), sample.Points[0].At.ToDateTimeOffset());
    }

    [Fact]
    public void Business_DegradedStep_StatusEventAndLogRecordsInTimeOrder()
    {
        var scenario = ScenarioLoader.Load(ScenarioCorpus.Locate("business-degraded-orders"));
        var operation = ScenarioTimeline.Build(scenario).OfType<PublishBusiness>().First(b => b.Status is { Healthy: false });

        var records = ScenarioTelemetry.Business(scenario, operation);

        Assert.Equal(
            [BusinessRecord.RecordOneofCase.Log, BusinessRecord.RecordOneofCase.Status, BusinessRecord.RecordOneofCase.Event],
            records.Select(r => r.RecordCase));
        Assert.All(records, r => Assert.Equal(("orders", "team-a", Layer.Business), (r.Adapter, r.Subject.Tenant, r.Subject.Layer)));
        Assert.False(records[1].Status.Healthy);
        Assert.Equal(LogLevel.Error, records[0].Log.Level);
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
    }
}
