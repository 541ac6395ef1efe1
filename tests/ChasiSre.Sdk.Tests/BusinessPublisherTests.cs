using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChasiSre.Sdk.Tests;

/// <summary>Push mode: real Kafka protocol for delivery; a controllable transport for backpressure and failures.</summary>
public sealed class BusinessPublisherTests(EmbeddedKafkaFixture kafka) : IClassFixture<EmbeddedKafkaFixture>
{
    private static readonly AdapterOptions Adapter = new() { Name = "orders", Tenant = "team-a", Cluster = "vc-team-a", Namespace = "shop" };

    [Fact]
    public async Task TryPublish_EveryKind_DeliveredToKafkaWithContractHeadersKeysAndSubject()
    {
        var ct = TestContext.Current.CancellationToken;
        var business = kafka.NewTopic();
        var metrics = kafka.NewTopic();
        var publisher = new BusinessPublisher(
            Options.Create(new PublisherOptions { BootstrapServers = kafka.Cluster.BootstrapServers, BusinessTopic = business, MetricsTopic = metrics, BatchInterval = TimeSpan.FromMilliseconds(10) }),
            Options.Create(Adapter),
            [],
            TimeProvider.System,
            NullLogger<BusinessPublisher>.Instance);
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);
        using var source = new ActivitySource("test.sdk.publisher");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == source.Name, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        string traceParent;
        await using (publisher)
        {
            using (var activity = source.StartActivity("publish")!)
            {
                traceParent = activity.Id!;
                Assert.True(publisher.TryPublish(new StatusSnapshot(false, "payment errors 18%") { Metrics = new Dictionary<string, double> { ["payment_error_ratio"] = 0.18 } }));
            }

            Assert.True(publisher.TryPublish(new EventEntry("ev-1", at, BusinessEventType.Warning, "PaymentTimeouts", "18% timed out")));
            Assert.True(publisher.TryPublish(new LogEntry(at, LogLevel.Error, "payment gateway timeout")));
            Assert.True(publisher.TryPublish(new MetricPoint("orders_per_minute", 64) { Unit = "{order}/min", Labels = new Dictionary<string, string> { ["region"] = "eu" } }));
            await publisher.StopAsync(ct);
            Assert.Equal(4, publisher.PublishedRecords);
            Assert.Equal(0, publisher.DroppedRecords);
        }

        var records = Consume(business, 3, ct);
        var serde = new ProtobufSerde<BusinessRecord>();
        var values = records.Select(r => serde.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, business, r.Message.Headers))!).ToList();
        Assert.All(records, r => Assert.Equal("team-a/orders", r.Message.Key));
        Assert.All(records, r => Assert.Equal("sdk/orders", Header(r, RecordHeaders.Source)));
        Assert.All(values, v =>
        {
            Assert.Equal("orders", v.Adapter);
            Assert.Equal("team-a", v.Subject.Tenant);
            Assert.Equal(Layer.Business, v.Subject.Layer);
            Assert.Equal("vc-team-a", v.Subject.Cluster);
            Assert.False(string.IsNullOrEmpty(v.Id));
        });
        Assert.Equal(traceParent, Header(records[0], RecordHeaders.TraceParent));
        Assert.False(values[0].Status.Healthy);
        Assert.Equal("ev-1", values[1].Id);
        Assert.Equal(at, values[1].At.ToDateTimeOffset());
        Assert.Equal("PaymentTimeouts", values[1].Event.Reason);
        Assert.Equal(Schemas.V1.LogLevel.Error, values[2].Log.Level);
        Assert.Equal("team-a", values[2].Log.Source.Tenant);

        var metric = Consume(metrics, 1, ct).Single();
        var sample = new ProtobufSerde<MetricSample>().Deserialize(metric.Message.Value, false, new SerializationContext(MessageComponentType.Value, metrics, metric.Message.Headers))!;
        Assert.Equal("orders_per_minute{adapter=\"orders\",region=\"eu\"}", sample.Series);
        Assert.Equal(RecordKeys.ForSeries(sample), metric.Message.Key);
        Assert.Equal(64, sample.Points.Single().Value);
        Assert.Equal("chasi.v1.MetricSample", Header(metric, RecordHeaders.Schema));
    }

    [Fact]
    public async Task AddChasiSrePublisher_HostStops_QueuedRecordsDelivered()
    {
        var ct = TestContext.Current.CancellationToken;
        var business = kafka.NewTopic();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddOptions<AdapterOptions>().Configure(o => { o.Name = "orders"; o.Tenant = "team-b"; });
        builder.Services.AddChasiSrePublisher(o => { o.BootstrapServers = kafka.Cluster.BootstrapServers; o.BusinessTopic = business; o.BatchInterval = TimeSpan.FromSeconds(30); });
        builder.Services.AddChasiSrePublisher();
        using var host = builder.Build();
        await host.StartAsync(ct);
        var publisher = host.Services.GetRequiredService<BusinessPublisher>();

        Assert.True(publisher.TryPublish(new StatusSnapshot(true, "fine")));
        while (publisher.QueueLength > 0)
        {
            // The sender took it and now waits (30 s) to fill its batch; stopping must not wait that long.
            await Task.Delay(10, ct);
        }

        var stopping = TimeProvider.System.GetTimestamp();
        await host.StopAsync(ct);
        Assert.True(TimeProvider.System.GetElapsedTime(stopping) < TimeSpan.FromSeconds(8));

        var record = Consume(business, 1, ct).Single();
        Assert.Equal("team-b/orders", record.Message.Key);
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "PublisherLifetime");
    }

    [Fact]
    public async Task AddChasiSrePublisher_MissingBootstrapServers_HostStartFails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddChasiSrePublisher();
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryPublish_QueueFull_ReturnsFalseCountsAndReportsWithoutBlocking()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = new ControlledTransport();
        var listener = new RecordingListener();
        var publisher = Create(transport, listener, o => { o.QueueCapacity = 4; o.BatchSize = 1; o.BatchInterval = TimeSpan.Zero; });
        await using (publisher)
        {
            Assert.True(publisher.TryPublish(Log("first")));
            await transport.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);

            // The sender holds "first"; four more fill the queue; the rest are dropped at once.
            var started = Stopwatch.GetTimestamp();
            var accepted = Enumerable.Range(0, 10).Count(i => publisher.TryPublish(Log($"line {i}")));
            var elapsed = Stopwatch.GetElapsedTime(started);

            Assert.Equal(4, accepted);
            Assert.Equal(6, publisher.DroppedRecords);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"TryPublish blocked for {elapsed}");
            transport.Release.TrySetResult();
            await publisher.StopAsync(ct);
        }

        Assert.Equal(5, transport.Sent.Count);
        Assert.Contains(listener.Failures, f => f.Kind == PublishFailureKind.QueueFull && f.RecordCount == 6);
    }

    [Fact]
    public async Task Send_TransportKeepsFailing_RetriesWithBackoffThenDropsAndTellsListeners()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = new ControlledTransport { FailuresLeft = int.MaxValue };
        transport.Release.TrySetResult();
        var listener = new RecordingListener();
        var publisher = Create(transport, listener, o => { o.MaxBatchAttempts = 3; o.MinBackoff = TimeSpan.FromMilliseconds(20); o.BatchInterval = TimeSpan.Zero; });
        await using (publisher)
        {
            publisher.TryPublish(Log("a"));
            publisher.TryPublish(Log("b"));
            await listener.Abandoned.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }

        Assert.Equal(2, publisher.DroppedRecords);
        Assert.Equal(0, publisher.PublishedRecords);
        Assert.Equal([PublishFailureKind.Retrying, PublishFailureKind.Retrying, PublishFailureKind.Abandoned], listener.Failures.Select(f => f.Kind));
        Assert.All(listener.Failures, f => Assert.IsType<KafkaException>(f.Exception));
        Assert.Equal(3, transport.Attempts);

        // 20 ms then 40 ms between the three attempts.
        Assert.True(transport.AttemptTimes[2] - transport.AttemptTimes[0] >= TimeSpan.FromMilliseconds(55), $"{transport.AttemptTimes[2] - transport.AttemptTimes[0]}");
    }

    [Fact]
    public async Task Send_TransportRecovers_RetriedRecordsDelivered()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = new ControlledTransport { FailuresLeft = 2 };
        transport.Release.TrySetResult();
        var listener = new ThrowingListener();
        var publisher = Create(transport, listener, o => { o.MinBackoff = TimeSpan.FromMilliseconds(5); o.BatchInterval = TimeSpan.Zero; });
        await using (publisher)
        {
            publisher.TryPublish(Log("a"));
            await publisher.StopAsync(ct);
        }

        Assert.Equal(1, publisher.PublishedRecords);
        Assert.Equal(0, publisher.DroppedRecords);
        Assert.Equal(2, listener.Calls);
    }

    [Fact]
    public async Task TryPublish_AfterDisposeOrNull_ReturnsFalseWithoutThrowing()
    {
        var transport = new ControlledTransport();
        transport.Release.TrySetResult();
        var publisher = Create(transport, new RecordingListener());
        await publisher.DisposeAsync();

        Assert.False(publisher.TryPublish(Log("late")));
        Assert.False(publisher.TryPublish((StatusSnapshot)null!));
        Assert.Equal(2, publisher.DroppedRecords);
    }

    [Fact]
    public async Task TryPublish_RecordOverMaxBytes_DroppedAndReported()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = new ControlledTransport();
        transport.Release.TrySetResult();
        var listener = new RecordingListener();
        var publisher = Create(transport, listener, o => { o.MaxRecordBytes = 4096; o.BatchInterval = TimeSpan.Zero; });
        await using (publisher)
        {
            publisher.TryPublish(new EventEntry("big", DateTimeOffset.UtcNow, BusinessEventType.Normal, "Big", new string('x', 10_000)));
            publisher.TryPublish(Log("small"));
            await publisher.StopAsync(ct);
        }

        Assert.Equal(1, publisher.DroppedRecords);
        Assert.Single(transport.Sent);
        Assert.Contains(listener.Failures, f => f.Kind == PublishFailureKind.TooLarge);
    }

    [Fact]
    public async Task TryPublish_LiveSender_AllocatesNothingOnTheCallersThread()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Capacity = 4096;
        var transport = new ControlledTransport();
        var publisher = Create(transport, new RecordingListener(), o => { o.QueueCapacity = Capacity; o.BatchInterval = TimeSpan.FromMilliseconds(1); });
        var record = Log("payment gateway timeout");
        await using (publisher)
        {
            // The channel's buffer grows once, up to the queue's capacity: fill it while the sender is
            // stalled, then release the sender. From then on, publishing allocates nothing.
            publisher.TryPublish(record);
            await transport.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            while (publisher.TryPublish(record))
            {
            }

            transport.Release.TrySetResult();
            while (publisher.QueueLength > 0)
            {
                await Task.Delay(5, ct);
            }

            const int Count = 20_000;
            var droppedBefore = publisher.DroppedRecords;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var accepted = 0;
            for (var i = 0; i < Count; i++)
            {
                accepted += publisher.TryPublish(record) ? 1 : 0;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            await publisher.StopAsync(ct);

            // Waking the idle sender queues a work item; the runtime's thread-pool queue now and then
            // grows a segment for it (about 8 KB, not per record). Any per-record allocation (24 B or
            // more each) would exceed this bound 24 times over.
            Assert.True(allocated < Count, $"{allocated} bytes allocated on the caller's thread for {Count} records");
            Assert.True(accepted >= Capacity, $"only {accepted} accepted");
            Assert.Equal(Count, accepted + publisher.DroppedRecords - droppedBefore);
            Assert.Equal(1 + Capacity + accepted, transport.Sent.Count);
        }
    }

    [Fact]
    public void Constructor_WithoutTenant_FailsValidation()
    {
        Assert.Throws<OptionsValidationException>(() => new BusinessPublisher(
            Options.Create(new PublisherOptions { BootstrapServers = "127.0.0.1:1" }),
            Options.Create(new AdapterOptions { Name = "orders" }),
            [],
            TimeProvider.System,
            NullLogger<BusinessPublisher>.Instance));
    }

    private static LogEntry Log(string message) => new(DateTimeOffset.UtcNow, LogLevel.Information, message);

    private static BusinessPublisher Create(ControlledTransport transport, IPublisherFailureListener listener, Action<PublisherOptions>? configure = null)
    {
        var options = new PublisherOptions { BootstrapServers = "unused:9092" };
        configure?.Invoke(options);
        return new BusinessPublisher(Options.Create(options), Options.Create(Adapter), [listener], TimeProvider.System, NullLogger.Instance, transport);
    }

    private List<ConsumeResult<string, byte[]>> Consume(string topic, int count, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = kafka.Cluster.BootstrapServers, GroupId = "test-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (records.Count < count && Stopwatch.GetTimestamp() < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                records.Add(record);
            }
        }

        consumer.Close();
        Assert.Equal(count, records.Count);
        return records;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    /// <summary>Holds every send until released; fails the first <see cref="FailuresLeft"/> attempts.</summary>
    private sealed class ControlledTransport : IPublisherTransport
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<OutgoingRecord> Sent { get; } = new();

        public List<TimeSpan> AttemptTimes { get; } = [];

        public int FailuresLeft { get; set; }

        public int Attempts { get; private set; }

        private readonly long started = Stopwatch.GetTimestamp();

        public async Task<Exception?> SendAsync(IReadOnlyList<OutgoingRecord> batch, List<OutgoingRecord> failed, CancellationToken cancellationToken)
        {
            Attempts++;
            AttemptTimes.Add(Stopwatch.GetElapsedTime(started));
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            if (FailuresLeft-- > 0)
            {
                failed.AddRange(batch);
                return new KafkaException(ErrorCode.BrokerNotAvailable);
            }

            foreach (var record in batch)
            {
                Sent.Enqueue(record);
            }

            return null;
        }

        public void Dispose()
        {
        }
    }

    private sealed class RecordingListener : IPublisherFailureListener
    {
        public ConcurrentQueue<PublishFailure> Failures { get; } = new();

        public TaskCompletionSource Abandoned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnPublishFailed(PublishFailure failure)
        {
            Failures.Enqueue(failure);
            if (failure.Kind == PublishFailureKind.Abandoned)
            {
                Abandoned.TrySetResult();
            }
        }
    }

    private sealed class ThrowingListener : IPublisherFailureListener
    {
        public int Calls { get; private set; }

        public void OnPublishFailed(PublishFailure failure)
        {
            Calls++;
            throw new InvalidOperationException("listener bug");
        }
    }
}
