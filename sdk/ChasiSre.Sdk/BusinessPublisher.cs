using System.Diagnostics;
using System.Threading.Channels;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>
/// Push mode: sends status, events, logs (<c>chasi.business.v1</c>) and metric points
/// (<c>chasi.metrics.v1</c>) to Kafka without ever blocking or throwing into business code.
/// <c>TryPublish</c> puts the caller's record in a bounded queue (<see cref="PublisherOptions.QueueCapacity"/>)
/// and returns; when the queue is full the record is dropped and counted
/// (<see cref="DroppedRecords"/>). A background sender batches, maps to the contracts, sends with
/// exponential backoff and tells the <see cref="IPublisherFailureListener"/>s what it retried or dropped.
/// </summary>
/// <remarks>
/// The records' tenant is <see cref="AdapterOptions.Tenant"/>; it must be the tenant of the Kafka
/// credentials in <see cref="PublisherOptions.Properties"/>, or ingest dead-letters the records.
/// </remarks>
public sealed class BusinessPublisher : IAsyncDisposable
{
    private readonly Channel<PendingRecord> queue;
    private readonly PublisherOptions options;
    private readonly AdapterOptions adapter;
    private readonly IPublisherTransport transport;
    private readonly IPublisherFailureListener[] listeners;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ObjectRef subject;
    private readonly string businessKey;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource flushing = new();
    private readonly Task pump;
    private long dropped;
    private long queueFull;
    private long reportedQueueFull;
    private long published;
    private int disposed;

    public BusinessPublisher(
        IOptions<PublisherOptions> options,
        IOptions<AdapterOptions> adapter,
        IEnumerable<IPublisherFailureListener> listeners,
        TimeProvider time,
        ILogger<BusinessPublisher> logger)
        : this(options, adapter, listeners, time, logger, null)
    {
    }

    internal BusinessPublisher(
        IOptions<PublisherOptions> options,
        IOptions<AdapterOptions> adapter,
        IEnumerable<IPublisherFailureListener> listeners,
        TimeProvider time,
        ILogger? logger,
        IPublisherTransport? transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapter);
        this.options = options.Value;
        this.adapter = adapter.Value;
        this.listeners = [.. listeners ?? []];
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        var problems = new PublisherOptionsValidator().Validate(null, this.options);
        if (problems.Failed)
        {
            throw new OptionsValidationException(PublisherOptions.SectionName, typeof(PublisherOptions), problems.Failures);
        }

        if (string.IsNullOrEmpty(this.adapter.Name) || string.IsNullOrEmpty(this.adapter.Tenant))
        {
            throw new OptionsValidationException(AdapterOptions.SectionName, typeof(AdapterOptions), ["Push mode needs ChasiSre:Adapter:Name and ChasiSre:Adapter:Tenant."]);
        }

        subject = ContractMapper.Subject(this.adapter);
        businessKey = this.adapter.Tenant + "/" + this.adapter.Name;
        this.transport = transport ?? new KafkaPublisherTransport(this.options, this.adapter.Name, this.logger);
        queue = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        this.logger.PublisherStarted(this.adapter.Name, this.options.BusinessTopic, this.options.MetricsTopic, this.options.BootstrapServers);
        pump = Task.Run(() => PumpAsync(stopping.Token));
    }

    /// <summary>Records dropped so far: queue full (or publisher stopped), too large, undeliverable.</summary>
    public long DroppedRecords => Interlocked.Read(ref dropped);

    /// <summary>Records delivered to Kafka so far.</summary>
    public long PublishedRecords => Interlocked.Read(ref published);

    /// <summary>Records waiting in the queue.</summary>
    public int QueueLength => queue.Reader.Count;

    /// <summary>Queues a status snapshot; false (and counted) when it was dropped.</summary>
    public bool TryPublish(StatusSnapshot status) => Enqueue(status);

    /// <summary>Queues a business event; false (and counted) when it was dropped.</summary>
    public bool TryPublish(EventEntry businessEvent) => Enqueue(businessEvent);

    /// <summary>Queues a log line; false (and counted) when it was dropped.</summary>
    public bool TryPublish(LogEntry log) => Enqueue(log);

    /// <summary>Queues a metric point (stamped now); false (and counted) when it was dropped.</summary>
    public bool TryPublish(MetricPoint metric) => Enqueue(metric);

    /// <summary>Stops accepting records and sends what is queued within <see cref="PublisherOptions.ShutdownTimeout"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        queue.Writer.TryComplete();

        // Wake a sender that waits to fill a batch: what is queued goes now.
        await flushing.CancelAsync();
        try
        {
            await pump.WaitAsync(options.ShutdownTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            await stopping.CancelAsync();
            await pump.WaitAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None);
        }
        finally
        {
            var left = 0;
            while (queue.Reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                Drop(left);
                logger.DroppedAtShutdown(adapter.Name, left);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            transport.Dispose();
            stopping.Dispose();
            flushing.Dispose();
            logger.PublisherStopped(adapter.Name, PublishedRecords, DroppedRecords);
        }
    }

    /// <summary>Takes one queued record without sending it (benchmarks: measure the caller's path with the sender stalled).</summary>
    internal bool TryDiscardQueued() => queue.Reader.TryRead(out _);

    private bool Enqueue(object? record)
    {
        if (record is not null && queue.Writer.TryWrite(new PendingRecord(record, time.GetUtcNow(), Activity.Current)))
        {
            return true;
        }

        Interlocked.Increment(ref queueFull);
        Drop(1);
        return false;
    }

    private void Drop(int count)
    {
        Interlocked.Add(ref dropped, count);
        SdkTelemetry.Dropped.Add(count);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var batch = new List<OutgoingRecord>(options.BatchSize);
        var failed = new List<OutgoingRecord>();
        using var batchWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, flushing.Token);
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                Drain(batch);
                if (batch.Count < options.BatchSize && options.BatchInterval > TimeSpan.Zero && !batchWait.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(options.BatchInterval, time, batchWait.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // StopAsync: send the partial batch now.
                    }

                    Drain(batch);
                }

                ReportQueueFull();
                await SendAsync(batch, failed, cancellationToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown ran out of time: what is in hand is dropped and counted.
            if (batch.Count > 0)
            {
                Drop(batch.Count);
                logger.DroppedAtShutdown(adapter.Name, batch.Count);
            }
        }
        catch (Exception ex)
        {
            // A bug in mapping or the transport: logged; the publisher stops sending and callers keep dropping.
            logger.PumpFailed(ex, adapter.Name);
            queue.Writer.TryComplete(ex);
            throw;
        }
    }

    private void Drain(List<OutgoingRecord> batch)
    {
        while (batch.Count < options.BatchSize && queue.Reader.TryRead(out var pending))
        {
            var record = ToOutgoing(pending);
            if (record.Value.Length > options.MaxRecordBytes)
            {
                Drop(1);
                logger.RecordTooLarge(adapter.Name, record.Value.Length, options.MaxRecordBytes);
                Notify(new PublishFailure(PublishFailureKind.TooLarge, 1, 0, null));
                continue;
            }

            batch.Add(record);
        }
    }

    private async Task SendAsync(List<OutgoingRecord> batch, List<OutgoingRecord> failed, CancellationToken cancellationToken)
    {
        var pending = batch;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            failed.Clear();
            Exception? error;
            try
            {
                error = await transport.SendAsync(pending, failed, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Clear();
                failed.AddRange(pending);
                error = ex;
            }

            var delivered = pending.Count - failed.Count;
            Interlocked.Add(ref published, delivered);
            SdkTelemetry.Published.Add(delivered);
            if (failed.Count == 0)
            {
                return;
            }

            SdkTelemetry.FailedBatches.Add(1);
            if (attempt >= options.MaxBatchAttempts)
            {
                Drop(failed.Count);
                logger.BatchAbandoned(error, adapter.Name, failed.Count, attempt);
                Notify(new PublishFailure(PublishFailureKind.Abandoned, failed.Count, attempt, error));
                return;
            }

            var delay = Backoff(attempt);
            logger.BatchRetrying(error, adapter.Name, failed.Count, attempt, delay);
            Notify(new PublishFailure(PublishFailureKind.Retrying, failed.Count, attempt, error));
            await Task.Delay(delay, time, cancellationToken);
            pending = [.. failed];
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = options.MinBackoff.Ticks * Math.Pow(2, attempt - 1);
        return ticks >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private void ReportQueueFull()
    {
        // Drops on the caller's thread are only counted there; the sender reports them here.
        var total = Interlocked.Read(ref queueFull);
        var fresh = total - reportedQueueFull;
        if (fresh > 0)
        {
            reportedQueueFull = total;
            Notify(new PublishFailure(PublishFailureKind.QueueFull, (int)Math.Min(fresh, int.MaxValue), 0, null));
        }
    }

    private void Notify(PublishFailure failure)
    {
        foreach (var listener in listeners)
        {
            try
            {
                listener.OnPublishFailed(failure);
            }
            catch (Exception ex)
            {
                // A listener's bug must not stop the sender; it is logged with its stack.
                logger.ListenerFailed(ex, adapter.Name, listener.GetType().FullName ?? listener.GetType().Name);
            }
        }
    }

    private OutgoingRecord ToOutgoing(in PendingRecord pending)
    {
        var activity = pending.Activity;
        var traceParent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
        var traceState = activity?.TraceStateString;
        switch (pending.Payload)
        {
            case MetricPoint metric:
                var sample = ToSample(metric, pending.At);
                return new OutgoingRecord(options.MetricsTopic, RecordKeys.ForSeries(sample), sample.ToByteArray(), MetricSample.Descriptor.FullName, traceParent, traceState);
            default:
                var record = ToBusinessRecord(pending);
                return new OutgoingRecord(options.BusinessTopic, businessKey, record.ToByteArray(), BusinessRecord.Descriptor.FullName, traceParent, traceState);
        }
    }

    private BusinessRecord ToBusinessRecord(in PendingRecord pending)
    {
        var record = new BusinessRecord { Adapter = adapter.Name, Subject = subject.Clone() };
        switch (pending.Payload)
        {
            case StatusSnapshot status:
                record.At = Timestamp.FromDateTimeOffset(pending.At);
                record.Status = ContractMapper.ToProto(status, adapter);
                record.Id = ContractMapper.StableId(adapter.Name, "status", pending.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case EventEntry businessEvent:
                record.At = Timestamp.FromDateTimeOffset(businessEvent.At);
                record.Event = ContractMapper.ToProtoEvent(businessEvent);
                record.Id = ContractMapper.EventId(businessEvent, adapter.Name);
                break;
            case LogEntry log:
                var line = ContractMapper.ToProto(log, adapter.Name, options.MaxRecordBytes / 2);
                line.Source = subject.Clone();
                record.At = line.At;
                record.Log = line;
                record.Id = line.Id;
                break;
            default:
                throw new InvalidOperationException($"Unexpected record type {pending.Payload.GetType().Name} in the publisher queue.");
        }

        return record;
    }

    private MetricSample ToSample(MetricPoint metric, DateTimeOffset at)
    {
        var sample = new MetricSample { Name = metric.Name ?? "", Unit = metric.Unit ?? "", Subject = subject.Clone() };
        ContractMapper.AddAll(sample.Labels, metric.Labels);
        sample.Labels["adapter"] = adapter.Name;
        sample.Series = SeriesName(sample.Name, sample.Labels);
        sample.Points.Add(new MetricSample.Types.Point { At = Timestamp.FromDateTimeOffset(at), Value = metric.Value });
        return sample;
    }

    /// <summary>Prometheus-style series identity: <c>name{a="1",b="2"}</c> with labels sorted by name.</summary>
    internal static string SeriesName(string name, IDictionary<string, string> labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}
