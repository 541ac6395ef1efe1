using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Consumes protobuf records at least once. A dedicated thread runs the blocking
/// <c>Consume</c> loop and hands records to an async handler loop in order; an offset is stored
/// only after its record was handled (or durably dead-lettered), and stored offsets are
/// committed in the background and on <c>Close()</c>. Oversized, undecodable or wrong-schema
/// records, and records whose handler fails every attempt, go to <see cref="TopicCatalog.DeadLetters"/>
/// (a <see cref="TransientFailureException"/> is retried without limit instead)
/// with their bytes and <c>chasi-error-*</c> headers; the consumer carries on. If the dead
/// letter itself cannot be written the consumer stops without storing the offset, so nothing
/// is lost.
/// </summary>
/// <typeparam name="T">The record value type.</typeparam>
public sealed class AtLeastOnceConsumer<T>
    where T : class, IMessage<T>, new()
{
    private static readonly TimeSpan CloseCommitPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PauseAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly KafkaClientFactory factory;
    private readonly string component;
    private readonly string groupId;
    private readonly IReadOnlyList<string> topics;
    private readonly RecordHandler<T> handler;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly ProtobufSerde<T> serde = new();
    private long handled;
    private long deadLettered;

    internal AtLeastOnceConsumer(
        KafkaClientFactory factory,
        string component,
        string groupId,
        IReadOnlyList<string> topics,
        RecordHandler<T> handler,
        ILogger logger,
        TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfZero(topics.Count);
        this.factory = factory;
        this.component = component;
        this.groupId = groupId;
        this.topics = topics;
        this.handler = handler;
        this.logger = logger;
        this.timeProvider = timeProvider;
    }

    /// <summary>
    /// How many records may be in the handler at once (default 1: strictly one after the other).
    /// Handlers still start in fetch order and offsets are still stored in fetch order, each only
    /// after its own record and every earlier one completed. More than one lets a handler hold its
    /// record until a batch it joined is durable (a sink that inserts many records in one write)
    /// without stalling the records behind it. Set before <see cref="RunAsync"/>.
    /// </summary>
    public int HandlersInFlight
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>Records handled successfully so far.</summary>
    public long Handled => Interlocked.Read(ref handled);

    /// <summary>Records sent to the dead-letter topic so far.</summary>
    public long DeadLettered => Interlocked.Read(ref deadLettered);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then returns normally) or
    /// an infrastructure failure stops it (then throws).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var processingDone = new ManualResetEventSlim(false);
        var channel = Channel.CreateUnbounded<Fetched>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var flow = new FlowControl(factory.Options.ConsumerPrefetch);
        using var dlq = factory.CreateRawProducer($"{component}-dlq");
        using var consumer = factory.CreateRawConsumer(component, groupId, b => b
            .SetPartitionsAssignedHandler((_, parts) => logger.PartitionsAssigned(groupId, string.Join(',', parts)))
            .SetPartitionsRevokedHandler((c, parts) =>
            {
                logger.PartitionsRevoked(groupId, string.Join(',', parts));
                flow.Invalidate(parts.Select(p => p.TopicPartition));
                CommitStored(c, parts);
            })
            .SetPartitionsLostHandler((_, parts) =>
            {
                // Lost, not revoked: another member may own them already; commit nothing.
                logger.PartitionsRevoked(groupId, string.Join(',', parts));
                flow.Invalidate(parts.Select(p => p.TopicPartition));
            }));

        var consumeThread = new Thread(() => ConsumeLoop(consumer, channel.Writer, flow, processingDone, stop.Token))
        {
            IsBackground = true,
            Name = $"kafka-consume-{groupId}",
        };
        consumer.Subscribe(topics);
        logger.ConsumerStarted(groupId, string.Join(',', topics));
        consumeThread.Start();
        var maxInFlight = HandlersInFlight;
        var inFlight = new Queue<(Fetched Fetched, Task Processing)>();
        try
        {
            if (maxInFlight == 1)
            {
                await foreach (var fetched in channel.Reader.ReadAllAsync(stop.Token))
                {
                    // A record of a partition revoked since it was fetched belongs to its new owner now.
                    if (flow.IsCurrent(fetched))
                    {
                        await ProcessAsync(fetched.Result, dlq, stop.Token);
                        StoreOffset(consumer, fetched.Result);
                    }

                    if (fetched.Slot)
                    {
                        flow.Release();
                    }
                }
            }
            else
            {
                await ProcessPipelinedAsync(channel.Reader, inFlight, maxInFlight, consumer, dlq, flow, stop.Token);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: records not handled yet keep their offsets unstored and come again.
        }
        catch (Exception ex)
        {
            logger.ConsumerFailed(ex, groupId);
            throw;
        }
        finally
        {
            await stop.CancelAsync();

            // Handlers still running were cancelled; let them end before the consumer closes.
#pragma warning disable VSTHRD003 // Started by ProcessPipelinedAsync in this call; no synchronization context is involved.
            await Task.WhenAll(inFlight.Select(f => f.Processing)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
            processingDone.Set();
            await Task.Run(consumeThread.Join, CancellationToken.None);
            logger.ConsumerStopped(groupId, Handled, DeadLettered);
        }
    }

    /// <summary>
    /// The handler loop when <see cref="HandlersInFlight"/> is above one: starts handlers in fetch
    /// order while fewer than that many run, and stores each offset once its record and all
    /// earlier ones completed. A record gives its prefetch slot back when its handler starts (the
    /// in-flight limit bounds what is held from then on).
    /// </summary>
    private async Task ProcessPipelinedAsync(
        ChannelReader<Fetched> reader,
        Queue<(Fetched Fetched, Task Processing)> inFlight,
        int maxInFlight,
        IConsumer<byte[]?, byte[]?> consumer,
        IProducer<byte[]?, byte[]?> dlq,
        FlowControl flow,
        CancellationToken cancellationToken)
    {
#pragma warning disable VSTHRD003 // Every awaited task is started by this method; no synchronization context is involved.
        Task<bool>? moreToRead = null;
        while (true)
        {
            if (inFlight.Count > 0 && (inFlight.Count >= maxInFlight || inFlight.Peek().Processing.IsCompleted))
            {
                var (done, processing) = inFlight.Dequeue();
                await processing;
                StoreOffset(consumer, done.Result);
                continue;
            }

            moreToRead ??= reader.WaitToReadAsync(cancellationToken).AsTask();
            if (inFlight.Count > 0 && !moreToRead.IsCompleted)
            {
                // Nothing new to start: wake for the oldest handler or the next record.
                await Task.WhenAny(inFlight.Peek().Processing, moreToRead);
                continue;
            }

            if (!await moreToRead)
            {
                // The consume thread ended: finish what was started, then stop.
                while (inFlight.TryDequeue(out var last))
                {
                    await last.Processing;
                    StoreOffset(consumer, last.Fetched.Result);
                }

                return;
            }

            moreToRead = null;
            while (inFlight.Count < maxInFlight && reader.TryRead(out var fetched))
            {
                if (fetched.Slot)
                {
                    flow.Release();
                }

                // A record of a partition revoked since it was fetched belongs to its new owner now.
                if (flow.IsCurrent(fetched))
                {
                    inFlight.Enqueue((fetched, ProcessAsync(fetched.Result, dlq, cancellationToken)));
                }
            }
        }
    }
#pragma warning restore VSTHRD003

    /// <summary>
    /// Keeps at most <see cref="KafkaOptions.ConsumerPrefetch"/> records between this thread and
    /// the handler. When the handler is that far behind, the thread waits for a slot, but never
    /// longer than <see cref="PauseAfter"/>: then it pauses the assignment and keeps polling
    /// (rebalances complete, <c>max.poll.interval.ms</c> is never exceeded) until a slot frees.
    /// Pausing makes librdkafka drop what it prefetched, so it is the exception, not the rule.
    /// </summary>
    private void ConsumeLoop(
        IConsumer<byte[]?, byte[]?> consumer,
        ChannelWriter<Fetched> writer,
        FlowControl flow,
        ManualResetEventSlim processingDone,
        CancellationToken stop)
    {
        Exception? failure = null;
        var paused = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                bool slot;
                if (paused)
                {
                    slot = flow.TryReserve(TimeSpan.Zero, stop);
                    if (slot)
                    {
                        consumer.Resume(consumer.Assignment);
                        paused = false;
                    }
                    else
                    {
                        // Partitions assigned while paused start unpaused.
                        consumer.Pause(consumer.Assignment);
                    }
                }
                else
                {
                    slot = flow.TryReserve(PauseAfter, stop);
                    if (!slot)
                    {
                        consumer.Pause(consumer.Assignment);
                        paused = true;
                    }
                }

                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    result = consumer.Consume(PollInterval);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.ConsumeError(groupId, ex.Error.Code.ToString(), ex.Error.Reason);
                    result = null;
                }

                if (result is null || result.IsPartitionEOF)
                {
                    if (slot)
                    {
                        flow.Release();
                    }

                    continue;
                }

                // A record without a slot was already queued when the assignment was paused.
                writer.TryWrite(flow.Fetched(result, slot));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            writer.TryComplete(failure);

            // The handler loop stores offsets through this consumer: close only after it ended,
            // so that the last stored offsets are committed.
            processingDone.Wait(CancellationToken.None);
            CommitBeforeClose(consumer);
            try
            {
                consumer.Close();
            }
            catch (Exception ex)
            {
                // Leaving the group failed; uncommitted records are read again (at least once).
                logger.CloseFailed(groupId, ex.Message);
            }
        }
    }

    private async Task ProcessAsync(ConsumeResult<byte[]?, byte[]?> result, IProducer<byte[]?, byte[]?> dlq, CancellationToken cancellationToken)
    {
        var parent = TraceContext.Extract(result.Message.Headers);
        using var activity = KafkaTelemetry.Source.StartActivity($"{result.Topic} process", ActivityKind.Consumer, parent);
        var size = RecordSize(result.Message);
        if (size > factory.Options.MaxRecordBytes)
        {
            await DeadLetterAsync(dlq, result, DeadLetterKinds.Oversized, nameof(InvalidDataException),
                $"Record of {size} bytes exceeds the limit of {factory.Options.MaxRecordBytes} bytes.", 0, cancellationToken);
            return;
        }

        ConsumedRecord<T> record;
        try
        {
            record = Decode(result);
        }
        catch (SchemaMismatchException ex)
        {
            await DeadLetterAsync(dlq, result, DeadLetterKinds.SchemaVersion, ex.GetType().Name, ex.Message, 0, cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Undecodable key, unparsable value, a malformed header: the record is poison.
            await DeadLetterAsync(dlq, result, DeadLetterKinds.Deserialize, ex.GetType().Name, ex.Message, 0, cancellationToken);
            return;
        }

        var options = factory.Options;
        var delay = options.HandlerRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var started = timeProvider.GetTimestamp();
            try
            {
                await handler(record, cancellationToken);
                KafkaTelemetry.HandlerDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, Tag(result.Topic));
                Interlocked.Increment(ref handled);
                KafkaTelemetry.Consumed.Add(1, Tag(result.Topic));
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                KafkaTelemetry.HandlerDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, Tag(result.Topic));
                var transient = TransientFailureException.IsTransient(ex);
                if (!transient && attempt >= options.MaxHandlerAttempts)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    await DeadLetterAsync(dlq, result, DeadLetterKinds.Handler, ex.GetType().Name, ex.Message, attempt, cancellationToken);
                    return;
                }

                // A transient failure is the dependency's, not the record's: retry until it
                // recovers (the consume thread pauses fetching meanwhile) or the consumer stops.
                logger.HandlerRetry(ex, groupId, attempt, result.Topic, result.Partition.Value, result.Offset.Value);
                KafkaTelemetry.HandlerRetries.Add(1, Tag(result.Topic), new KeyValuePair<string, object?>("chasisre.failure.transient", transient));
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
            }
        }
    }

    private ConsumedRecord<T> Decode(ConsumeResult<byte[]?, byte[]?> result)
    {
        var message = result.Message;
        var key = message.Key is null ? null : StrictUtf8.GetString(message.Key);
        var context = new SerializationContext(MessageComponentType.Value, result.Topic, message.Headers);
        var value = serde.Deserialize(message.Value ?? [], message.Value is null, context);
        return new ConsumedRecord<T>(result.Topic, result.Partition.Value, result.Offset.Value, key, value, message.Headers, message.Timestamp.UtcDateTime);
    }

    private async Task DeadLetterAsync(
        IProducer<byte[]?, byte[]?> dlq,
        ConsumeResult<byte[]?, byte[]?> result,
        string kind,
        string errorType,
        string errorMessage,
        int attempts,
        CancellationToken cancellationToken)
    {
        var letter = DeadLetterRecords.Create(
            result.Topic, result.Partition.Value, result.Offset.Value, result.Message, kind, errorType, errorMessage,
            groupId, component, timeProvider.GetUtcNow(), attempts, factory.Options.MaxRecordBytes);
        errorMessage = Encoding.UTF8.GetString(letter.Headers.GetLastBytes(RecordHeaders.ErrorMessage));

        // Awaited: the offset is stored only once the dead letter is durable. A failure here
        // propagates and stops the consumer, and the record is read again after restart.
        await dlq.ProduceAsync(TopicCatalog.DeadLetters.Name, letter, cancellationToken);
        Interlocked.Increment(ref deadLettered);
        KafkaTelemetry.DeadLettered.Add(1, Tag(result.Topic), new KeyValuePair<string, object?>("chasisre.error.kind", kind));
        logger.DeadLettered(groupId, result.Topic, result.Partition.Value, result.Offset.Value, kind, errorMessage);
    }

    private void StoreOffset(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> result)
    {
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_State)
        {
            // The partition was revoked while the record was in flight; its new owner reads it again.
            logger.OffsetNotStored(groupId, result.Topic, result.Partition.Value, result.Offset.Value);
        }
    }

    /// <summary>
    /// Commits the offsets stored so far (handled records only: with auto offset store off,
    /// librdkafka commits stored offsets), so the next owner of a revoked partition starts
    /// after them instead of replaying up to five seconds of auto-commit interval.
    /// </summary>
    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> revoked)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_NoOffset)
        {
        }
        catch (KafkaException ex)
        {
            // Not fatal: the auto-commit or the next owner's replay covers it (at least once).
            logger.CommitOnRevokeFailed(groupId, string.Join(',', revoked), ex.Error.Reason);
        }
    }

    /// <summary>
    /// Commits the stored offsets before leaving the group. When another member's departure
    /// has the group rebalancing, the coordinator refuses commits until this member rejoins,
    /// which only polling does: so poll briefly (records read here are not stored and come
    /// again) and retry, for a bounded time.
    /// </summary>
    private void CommitBeforeClose(IConsumer<byte[]?, byte[]?> consumer)
    {
        var deadline = timeProvider.GetTimestamp() + (long)(CloseCommitPatience.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            var rebalancing = false;
            try
            {
                consumer.Commit();
                return;
            }
            catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_NoOffset)
            {
                return;
            }
            catch (KafkaException ex) when (ex.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration
                && timeProvider.GetTimestamp() < deadline)
            {
                rebalancing = true;
            }
            catch (Exception ex)
            {
                logger.CloseFailed(groupId, ex.Message);
                return;
            }

            if (rebalancing)
            {
                try
                {
                    consumer.Consume(PollInterval);
                }
                catch (ConsumeException)
                {
                    // Only polling for the rebalance here; the record comes again.
                }
            }
        }
    }

    private static int RecordSize(Message<byte[]?, byte[]?> message)
    {
        var size = (message.Key?.Length ?? 0) + (message.Value?.Length ?? 0);
        foreach (var header in message.Headers ?? [])
        {
            size += header.Key.Length + (header.GetValueBytes()?.Length ?? 0);
        }

        return size;
    }

    private static KeyValuePair<string, object?> Tag(string topic) => new("messaging.destination.name", topic);

    /// <summary>A fetched record, the generation of its partition's assignment when it was fetched, and whether it holds a prefetch slot.</summary>
    private readonly record struct Fetched(ConsumeResult<byte[]?, byte[]?> Result, long Generation, bool Slot);

    /// <summary>
    /// Prefetch slots between the consume thread and the handler loop, and a generation per
    /// partition that every revocation bumps, so the handler loop can drop records of a
    /// partition this member no longer owns (their new owner handles them; storing their
    /// offsets could move a later owner's committed offset backwards).
    /// </summary>
    private sealed class FlowControl(int prefetch) : IDisposable
    {
        private readonly SemaphoreSlim slots = new(prefetch, prefetch);
        private readonly ConcurrentDictionary<TopicPartition, long> generations = new();

        public bool TryReserve(TimeSpan timeout, CancellationToken cancellationToken) => slots.Wait(timeout, cancellationToken);

        public void Release() => slots.Release();

        public Fetched Fetched(ConsumeResult<byte[]?, byte[]?> result, bool slot) =>
            new(result, generations.GetValueOrDefault(result.TopicPartition), slot);

        public bool IsCurrent(Fetched fetched) => generations.GetValueOrDefault(fetched.Result.TopicPartition) == fetched.Generation;

        public void Invalidate(IEnumerable<TopicPartition> partitions)
        {
            foreach (var partition in partitions)
            {
                generations.AddOrUpdate(partition, 1, (_, g) => g + 1);
            }
        }

        public void Dispose() => slots.Dispose();
    }
}
