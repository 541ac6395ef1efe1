using System.Diagnostics;
using System.Text;
using ChasiSre.Schemas;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Produces protobuf records to catalog topics. Each record gets the schema headers (from the
/// serializer), the producing component in <see cref="RecordHeaders.Source"/> and the W3C
/// trace context of the current activity.
/// </summary>
/// <typeparam name="T">The record value type; must match the topic's value type.</typeparam>
public sealed class RecordProducer<T> : IDisposable
    where T : class, IMessage<T>, new()
{
    private static readonly string ValueName = new T().Descriptor.FullName;
    private static readonly TimeSpan DisposeFlushTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(20);
    private readonly IProducer<string, T?> producer;
    private readonly string component;
    private readonly byte[] source;
    private readonly ILogger logger;
    private int disposed;

    internal RecordProducer(IProducer<string, T?> producer, string component, ILogger logger)
    {
        this.producer = producer;
        this.component = component;
        this.logger = logger;
        source = Encoding.UTF8.GetBytes(component);
    }

    /// <summary>The underlying client, for flush and transactions.</summary>
    public IProducer<string, T?> Client => producer;

    /// <summary>Produces and waits for the broker's acknowledgement.</summary>
    public async Task<DeliveryResult<string, T?>> ProduceAsync(TopicDefinition topic, string key, T? value, CancellationToken cancellationToken = default)
    {
        var message = Message(topic, key, value, out var activity);
        using (activity)
        {
            return await producer.ProduceAsync(topic.Name, message, cancellationToken);
        }
    }

    /// <summary>Produces without waiting; <paramref name="onDelivery"/> runs on the delivery thread.</summary>
    public void Produce(TopicDefinition topic, string key, T? value, Action<DeliveryReport<string, T?>>? onDelivery = null)
    {
        var message = Message(topic, key, value, out var activity);
        using (activity)
        {
            producer.Produce(topic.Name, message, onDelivery);
        }
    }

    /// <summary>
    /// Produces without waiting for the broker, but waits (polling delivery reports) while the
    /// client's local queue is full instead of failing: backpressure for publishers that must not
    /// drop records. <paramref name="onDelivery"/> runs on the delivery thread.
    /// </summary>
    public async ValueTask EnqueueAsync(TopicDefinition topic, string key, T? value, Action<DeliveryReport<string, T?>>? onDelivery = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                Produce(topic, key, value, onDelivery);
                return;
            }
            catch (ProduceException<string, T?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(QueueFullWait, cancellationToken);
            }
        }
    }

    /// <summary>Waits until every record produced so far is acknowledged or failed.</summary>
    public void Flush(CancellationToken cancellationToken = default) => producer.Flush(cancellationToken);

    /// <summary>Flushes (up to 10 s) and disposes; records still undelivered then are logged as lost.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        var undelivered = producer.Flush(DisposeFlushTimeout);
        if (undelivered > 0)
        {
            logger.UndeliveredOnDispose(component, undelivered);
        }

        producer.Dispose();
    }

    private Message<string, T?> Message(TopicDefinition topic, string key, T? value, out Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(key);
        if (topic.Value.FullName != ValueName)
        {
            throw new ArgumentException($"Topic {topic.Name} carries {topic.Value.FullName}, not {ValueName}.", nameof(topic));
        }

        activity = KafkaTelemetry.Source.StartActivity($"{topic.Name} publish", ActivityKind.Producer);
        var headers = new Headers { { RecordHeaders.Source, source } };
        TraceContext.Inject(activity ?? Activity.Current, headers);
        return new Message<string, T?> { Key = key, Value = value, Headers = headers };
    }
}
