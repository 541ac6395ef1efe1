using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>
/// The orders sample in degraded mode, end to end: the gateway discovers and polls it (HTTP/JSON, bearer token), its
/// records go to <c>chasi.business.v1</c> on the embedded Kafka, and the production Streamiz detection topology turns
/// them into a BusinessDegradation incident on <c>chasi.incidents.v1</c>.
/// </summary>
public sealed class GatewayToStreamsTests
{
    private const string Token = "orders-e2e-token";

    [Fact]
    public async Task DegradedSample_ThroughGatewayAndTopology_PublishesABusinessDegradationIncident()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await SampleAdapterHost.StartAsync(Token, degraded: true, ct);
        await using var gateway = await GatewayHarness.StartAsync(ct);
        var options = new StreamsOptions
        {
            ApplicationId = $"chasi-streams-e2e-{Guid.NewGuid():N}",
            Partitions = 1,
            FlushInterval = TimeSpan.FromMilliseconds(100),
        };
        foreach (var topic in DetectionApplication.InternalTopics(options))
        {
            gateway.Kafka.CreateTopic(topic);
        }

        var runtime = new DetectionRuntime(
            options,
            new CorrelationOptions { GroupWait = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System,
            DetectorCatalog.Incidents,
            new DetectionProgress(),
            NullLoggerFactory.Instance);
        await using var streams = await DetectionApplication.StartAsync(gateway.Factory, runtime, cancellationToken: ct);

        gateway.Host.Apply(GatewayHarness.Secret("ns-alice", "orders-token", Token));
        gateway.Host.Apply(GatewayHarness.Pod("ns-alice", "orders-0", adapter.HttpPort));

        var incidents = await GatewayHarness.EventuallyAsync(
            async () => (await gateway.ReadAllAsync(TopicCatalog.Incidents, ct)).Select(r => Incident.Parser.ParseFrom(r.Message.Value)).ToList(),
            found => found.Any(i => i.Category == "BusinessDegradation"),
            "a BusinessDegradation incident from the degraded sample",
            ct,
            seconds: 90);

        var incident = incidents.Last(i => i.Category == "BusinessDegradation");
        Assert.Equal(Layer.Business, incident.Layer);
        Assert.Equal("orders", incident.Subject.Name);
        Assert.Equal("alice", incident.Tenant);
        Assert.Contains(incident.Signals, s => s.Detector == "business.health" && s.Active);
        Assert.Equal(0, adapter.Adapter.ExecuteRunbookCalls);
    }
}
