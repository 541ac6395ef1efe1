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
/// with their bytes and <c>chasi-error-*</c> headers; the consumer carries on. If the dead
/// letter itself cannot be written the consumer stops without storing the offset, so nothing
/// is lost.
/// </summary>
/// <typeparam name="T">The record value type.</typeparam>
public sealed class AtLeastOnceConsumer<T>
    where T : class, IMessage<T>, new()
{
    private const int MaxErrorMessageLength = 2000;
    private static readonly TimeSpan CloseCommitPatience = TimeSpan.FromSeconds(10);
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
        var options = factory.Options;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var capacity = new SemaphoreSlim(options.ConsumerPrefetch, options.ConsumerPrefetch);
        using var processingDone = new ManualResetEventSlim(false);
        var channel = Channel.CreateUnbounded<ConsumeResult<byte[]?, byte[]?>>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var dlq = factory.CreateRawProducer($"{component}-dlq");
        using var consumer = factory.CreateRawConsumer(component, groupId, b => b
            .SetPartitionsAssignedHandler((_, parts) => logger.PartitionsAssigned(groupId, string.Join(',', parts)))
            .SetPartitionsRevokedHandler((c, parts) =>
            {
                logger.PartitionsRevoked(groupId, string.Join(',', parts));
                CommitStored(c, parts);
            }));

        var consumeThread = new Thread(() => ConsumeLoop(consumer, channel.Writer, capacity, processingDone, stop.Token))
        {
            IsBackground = true,
            Name = $"kafka-consume-{groupId}",
        };
        consumer.Subscribe(topics);
        logger.ConsumerStarted(groupId, string.Join(',', topics));
        consumeThread.Start();
        try
        {
            await foreach (var result in channel.Reader.ReadAllAsync(stop.Token))
            {
                await ProcessAsync(result, dlq, stop.Token);
                StoreOffset(consumer, result);
                capacity.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
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
            processingDone.Set();
            await Task.Run(consumeThread.Join, CancellationToken.None);
            logger.ConsumerStopped(groupId, Handled, DeadLettered);
        }
    }

    private void ConsumeLoop(
        IConsumer<byte[]?, byte[]?> consumer,
        ChannelWriter<ConsumeResult<byte[]?, byte[]?>> writer,
        SemaphoreSlim capacity,
        ManualResetEventSlim processingDone,
        CancellationToken stop)
    {
        Exception? failure = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                capacity.Wait(stop);
                var result = consumer.Consume(stop);
                if (result is null || result.IsPartitionEOF)
                {
                    capacity.Release();
                    continue;
                }

                writer.TryWrite(result);
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
            // so that Close() commits the last stored offsets.
            processingDone.Wait(CancellationToken.None);
            try
            {
                CommitBeforeClose(consumer);
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                // Leaving the group failed; uncommitted records are read again (at least once).
                logger.CloseFailed(groupId, ex.Error.Reason);
            }
        }
    }

    private async Task ProcessAsync(ConsumeResult<byte[]?, byte[]?> result, IProducer<byte[]?, byte[]?> dlq, CancellationToken cancellationToken)
    {
        var parent = TraceContext.Extract(result.Message.Headers);
        using var activity = KafkaTelemetry.Source.StartActivity($"{result.Topic} process", ActivityKind.Consumer, parent);
        var size = (result.Message.Key?.Length ?? 0) + (result.Message.Value?.Length ?? 0);
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
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException)
        {
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
                if (attempt >= options.MaxHandlerAttempts)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    await DeadLetterAsync(dlq, result, DeadLetterKinds.Handler, ex.GetType().Name, ex.Message, attempt, cancellationToken);
                    return;
                }

                logger.HandlerRetry(ex, groupId, attempt, result.Topic, result.Partition.Value, result.Offset.Value);
                KafkaTelemetry.HandlerRetries.Add(1, Tag(result.Topic));
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay *= 2;
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
        if (errorMessage.Length > MaxErrorMessageLength)
        {
            errorMessage = errorMessage[..MaxErrorMessageLength];
        }

        var message = result.Message;
        var letter = new DeadLetter
        {
            OriginalTopic = result.Topic,
            OriginalPartition = result.Partition.Value,
            OriginalOffset = result.Offset.Value,
            OriginalKey = message.Key is null ? ByteString.Empty : ByteString.CopyFrom(message.Key),
            OriginalValue = message.Value is null || kind == DeadLetterKinds.Oversized ? ByteString.Empty : ByteString.CopyFrom(message.Value),
            ErrorKind = kind,
            ErrorType = errorType,
            ErrorMessage = errorMessage,
            RejectedBy = groupId,
            RejectedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            Attempts = attempts,
        };

        var headers = new Headers();
        if (message.Headers is not null)
        {
            foreach (var header in message.Headers)
            {
                letter.OriginalHeaders[header.Key] = ByteString.CopyFrom(header.GetValueBytes());
                if (header.Key is RecordHeaders.TraceParent or RecordHeaders.TraceState)
                {
                    headers.Add(header.Key, header.GetValueBytes());
                }
            }
        }

        AddText(headers, RecordHeaders.Schema, DeadLetter.Descriptor.FullName);
        AddText(headers, RecordHeaders.SchemaVersion, SchemaVersion.CurrentText);
        AddText(headers, RecordHeaders.Source, component);
        AddText(headers, RecordHeaders.ErrorKind, kind);
        AddText(headers, RecordHeaders.ErrorType, errorType);
        AddText(headers, RecordHeaders.ErrorMessage, errorMessage);
        AddText(headers, RecordHeaders.OriginalTopic, result.Topic);
        AddText(headers, RecordHeaders.OriginalPartition, result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddText(headers, RecordHeaders.OriginalOffset, result.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddText(headers, RecordHeaders.RejectedBy, groupId);

        // Awaited: the offset is stored only once the dead letter is durable. A failure here
        // propagates and stops the consumer, and the record is read again after restart.
        await dlq.ProduceAsync(
            TopicCatalog.DeadLetters.Name,
            new Message<byte[]?, byte[]?> { Key = message.Key, Value = letter.ToByteArray(), Headers = headers },
            cancellationToken);
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
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (KafkaException ex)
            {
                logger.CloseFailed(groupId, ex.Error.Reason);
                return;
            }
        }
    }

    private static void AddText(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));

    private static KeyValuePair<string, object?> Tag(string topic) => new("messaging.destination.name", topic);
}
