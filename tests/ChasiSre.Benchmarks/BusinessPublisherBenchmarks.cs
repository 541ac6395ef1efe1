using BenchmarkDotNet.Attributes;
using ChasiSre.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Benchmarks;

/// <summary>
/// What <see cref="BusinessPublisher.TryPublish(LogEntry)"/> costs the business code's thread,
/// per record (the record itself is allocated once, by the caller, outside the measurement).
/// The sender is stalled on a transport that never completes, so the numbers (and the allocation
/// column, which BenchmarkDotNet takes process-wide) contain only the caller's work:
/// <list type="bullet">
/// <item><c>Accepted</c>: the record is queued (then taken out again on the same thread to make
/// room, so this is an upper bound of the queueing cost).</item>
/// <item><c>QueueFull</c>: the queue is full (Kafka down): the record is dropped and counted.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class BusinessPublisherBenchmarks
{
    private const int Batch = 1000;
    private BusinessPublisher accepting = null!;
    private BusinessPublisher full = null!;
    private LogEntry record = null!;

    [GlobalSetup]
    public void Setup()
    {
        record = new LogEntry(DateTimeOffset.UtcNow, LogLevel.Error, "payment gateway timeout after 2000 ms for order ORD-173439");
        accepting = Stalled(Batch * 2);
        full = Stalled(Batch);
        while (full.TryPublish(record))
        {
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The stalled sender never finishes: stop with no grace time; the queued records are dropped.
        _ = accepting.DisposeAsync().AsTask();
        _ = full.DisposeAsync().AsTask();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public bool TryPublish_Accepted()
    {
        var ok = true;
        for (var i = 0; i < Batch; i++)
        {
            ok &= accepting.TryPublish(record);
        }

        for (var i = 0; i < Batch; i++)
        {
            accepting.TryDiscardQueued();
        }

        return ok;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public bool TryPublish_QueueFull()
    {
        var ok = false;
        for (var i = 0; i < Batch; i++)
        {
            ok |= full.TryPublish(record);
        }

        return ok;
    }

    private static BusinessPublisher Stalled(int capacity)
    {
        var publisher = new BusinessPublisher(
            Options.Create(new PublisherOptions { BootstrapServers = "unused:9092", QueueCapacity = capacity, BatchSize = 1, BatchInterval = TimeSpan.Zero, ShutdownTimeout = TimeSpan.Zero }),
            Options.Create(new AdapterOptions { Name = "orders", Tenant = "team-a" }),
            [],
            TimeProvider.System,
            NullLogger.Instance,
            new StalledTransport());

        // The sender takes this one and then waits forever inside the transport.
        publisher.TryPublish(new LogEntry(DateTimeOffset.UtcNow, LogLevel.Information, "first"));
        SpinWait.SpinUntil(() => publisher.QueueLength == 0, TimeSpan.FromSeconds(10));
        return publisher;
    }

    private sealed class StalledTransport : IPublisherTransport
    {
        public async Task<Exception?> SendAsync(IReadOnlyList<OutgoingRecord> batch, List<OutgoingRecord> failed, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }

        public void Dispose()
        {
        }
    }
}
