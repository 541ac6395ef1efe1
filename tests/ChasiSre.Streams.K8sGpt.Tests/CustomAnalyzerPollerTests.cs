using System.Diagnostics;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.K8sGpt.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt.Tests;

public sealed class CustomAnalyzerPollerTests
{
    private const string Unmasked1 = "db-admin-password-rotation";
    private const string Unmasked2 = "10.42.7.19";

    [Fact]
    public async Task Poll_AnalyzerReportsResult_MaskedSignalOnKafkaKeyedBySubject()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = SignalKafka.Start();
        await using var server = await AnalyzerServer.StartAsync(cancellationToken: ct);
        server.Analyzer.Answer(SensitiveNodeResult());
        var poller = Poller(kafka.Sink, Analyzer("disk-check", server.Address, TimeSpan.FromMinutes(10)));

        await poller.StartAsync(ct);
        await WaitAsync(() => poller.Status["disk-check"].LastSuccess is not null, ct);
        await poller.StopAsync(ct);

        var record = Assert.Single(kafka.ReadSignals(1, ct));
        var signal = SignalKafka.Decode(record);
        Assert.Equal(RecordKeys.ForObject(signal.Subject), Encoding.UTF8.GetString(record.Message.Key!));
        Assert.Equal(("prod-eu1", Layer.Host, "Node", "v1", "", "worker-3"),
            (signal.Subject.Cluster, signal.Subject.Layer, signal.Subject.Kind, signal.Subject.ApiVersion, signal.Subject.Namespace, signal.Subject.Name));
        Assert.Equal("k8sgpt.custom.disk-check", signal.Detector);
        Assert.Equal("NodePressure", signal.Category);
        Assert.True(signal.Active);
        Assert.Equal("k8sgpt", signal.Attributes["source"]);
        Assert.Equal("disk-check", signal.Attributes["k8sgpt.analyzer"]);
        Assert.Equal(2, signal.Evidence.Count);
        Assert.Contains("secret bWFza2VkLXNlY3JldA== mounted", signal.Evidence[0].Summary, StringComparison.Ordinal);
        Assert.Contains("from MTAuNDIueC54", signal.Evidence[1].Summary, StringComparison.Ordinal);
        AssertNoUnmasked(record);
        Assert.Equal(poller.Status["disk-check"].ActiveSignalId, signal.Id);
    }

    [Fact]
    public async Task Poll_ResultGoesAway_SameSignalPublishedInactive()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = SignalKafka.Start();
        await using var server = await AnalyzerServer.StartAsync(cancellationToken: ct);
        server.Analyzer.Answer(SensitiveNodeResult());
        var poller = Poller(kafka.Sink, Analyzer("disk-check", server.Address, TimeSpan.FromMilliseconds(50)));

        await poller.StartAsync(ct);
        await WaitAsync(() => server.Analyzer.Calls >= 2 && poller.Status["disk-check"].ActiveSignalId is not null, ct);
        server.Analyzer.Answer(new Result { Kind = "Node", Name = "worker-3" });
        await WaitAsync(() => poller.Status["disk-check"] is { ActiveSignalId: null, LastSuccess: not null }, ct);
        await poller.StopAsync(ct);

        var records = kafka.ReadSignals(3, ct);
        var signals = records.Select(SignalKafka.Decode).ToList();
        Assert.True(signals.Count >= 3, $"{signals.Count} signals");
        Assert.All(signals, s => Assert.Equal(signals[0].Id, s.Id));
        Assert.All(signals.SkipLast(1), s => Assert.True(s.Active));
        Assert.False(signals[^1].Active);
        Assert.Equal(signals[0].FirstSeen, signals[^1].FirstSeen);
        Assert.True(signals[^1].LastSeen.ToDateTimeOffset() > signals[0].LastSeen.ToDateTimeOffset());
        Assert.All(records, AssertNoUnmasked);
    }

    [Fact]
    public async Task Poll_UnreachableAnalyzer_BacksOffThenRecoversWhileOthersKeepRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        using var kafka = SignalKafka.Start();
        await using var healthy = await AnalyzerServer.StartAsync(cancellationToken: ct);
        healthy.Analyzer.Answer(new Result { Kind = "Pod", Name = "shop/api-0", Error = { new ErrorDetail { Text = "back-off 10s restarting failed container=api" } } });
        var port = AnalyzerServer.FreePort();
        var poller = Poller(
            kafka.Sink,
            Analyzer("late", new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMilliseconds(100)),
            Analyzer("healthy", healthy.Address, TimeSpan.FromMilliseconds(100)));

        await poller.StartAsync(ct);
        await WaitAsync(() => poller.Status["late"].ConsecutiveFailures >= 3, ct);
        var failing = poller.Status["late"];
        Assert.Null(failing.LastSuccess);
        Assert.NotNull(failing.LastError);
        Assert.Equal(Options().Backoff(failing.ConsecutiveFailures), failing.NextDelay);
        Assert.True(failing.NextDelay > TimeSpan.FromMilliseconds(100), $"backoff {failing.NextDelay} grows past the first step");

        // The healthy analyzer keeps running meanwhile (its first run also waits for Kafka's acknowledgement, so it
        // may finish after the late one failed three times to connect).
        await WaitAsync(() => poller.Status["healthy"].LastSuccess is not null, ct);
        Assert.Null(poller.Status["late"].LastSuccess);

        var late = new CannedAnalyzer();
        late.Answer(SensitiveNodeResult());
        await using var recovered = await AnalyzerServer.StartAsync(port, late, ct);
        await WaitAsync(() => poller.Status["late"] is { ConsecutiveFailures: 0, LastSuccess: not null }, ct);
        await poller.StopAsync(ct);

        Assert.Equal(TimeSpan.FromMilliseconds(100), poller.Status["late"].NextDelay);
        var records = kafka.ReadSignals(2, ct);
        var detectors = records.Select(SignalKafka.Decode).Select(s => s.Detector).ToHashSet();
        Assert.Contains("k8sgpt.custom.late", detectors);
        Assert.Contains("k8sgpt.custom.healthy", detectors);
        Assert.All(records, AssertNoUnmasked);
    }

    [Fact]
    public async Task Poll_AnalyzerSlowerThanTimeout_RunFailsAsTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var sink = new RecordingSink();
        await using var server = await AnalyzerServer.StartAsync(cancellationToken: ct);
        server.Analyzer.Answer(SensitiveNodeResult());
        server.Analyzer.Delay = TimeSpan.FromSeconds(30);
        var analyzer = Analyzer("slow", server.Address, TimeSpan.FromMilliseconds(100));
        analyzer.Timeout = TimeSpan.FromMilliseconds(200);
        var poller = Poller(sink, analyzer);

        await poller.StartAsync(ct);
        await WaitAsync(() => poller.Status["slow"].ConsecutiveFailures >= 1, ct);
        await poller.StopAsync(ct);

        Assert.Contains("took longer than", poller.Status["slow"].LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Signals);
    }

    private static Result SensitiveNodeResult() => new()
    {
        Kind = "Node",
        Name = "worker-3",
        Details = $"Rotate {Unmasked1} and check {Unmasked2}.",
        Error =
        {
            new ErrorDetail
            {
                Text = $"DiskPressure: /var/lib/kubelet 97% full; secret {Unmasked1} mounted 4000 times",
                Sensitive = { new SensitiveData { Unmasked = Unmasked1, Masked = "bWFza2VkLXNlY3JldA==" } },
            },
            new ErrorDetail
            {
                Text = $"kubelet evicting pods; last eviction request from {Unmasked2}",
                Sensitive = { new SensitiveData { Unmasked = Unmasked2, Masked = "MTAuNDIueC54" } },
            },
        },
    };

    /// <summary>Neither the key, the value bytes nor any header carries an unmasked value.</summary>
    private static void AssertNoUnmasked(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record)
    {
        var parts = new List<byte[]> { record.Message.Key ?? [], record.Message.Value ?? [] };
        parts.AddRange(record.Message.Headers.Select(h => h.GetValueBytes() ?? []));
        foreach (var secret in new[] { Unmasked1, Unmasked2 })
        {
            var needle = Encoding.UTF8.GetBytes(secret);
            Assert.All(parts, part => Assert.Equal(-1, part.AsSpan().IndexOf(needle)));
        }
    }

    private static K8sGptInteropOptions Options(params CustomAnalyzerOptions[] analyzers)
    {
        var options = new K8sGptInteropOptions { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(400) };
        foreach (var analyzer in analyzers)
        {
            options.Analyzers.Add(analyzer);
        }

        return options;
    }

    private static CustomAnalyzerOptions Analyzer(string name, Uri address, TimeSpan interval) => new()
    {
        Name = name,
        Address = address,
        Interval = interval,
        Timeout = TimeSpan.FromSeconds(2),
        Cluster = "prod-eu1",
    };

    private static CustomAnalyzerPoller Poller(ISignalSink sink, params CustomAnalyzerOptions[] analyzers)
    {
        var options = Options(analyzers);
        var validation = new K8sGptInteropOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        return new CustomAnalyzerPoller(Microsoft.Extensions.Options.Options.Create(options), sink, TimeProvider.System, NullLogger<CustomAnalyzerPoller>.Instance);
    }

    private static async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(20, cancellationToken);
        }
    }
}
