using System.Text;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// Sends what the detection topology cannot use to the dead-letter topic, with the same <see cref="DeadLetter"/> value
/// and <c>chasi-error-*</c> headers as every other consumer: records that do not deserialize (wrong schema, unknown
/// contract version, garbage) and inputs the engine rejects (an object whose JSON does not parse). The topology then
/// carries on with the next record.
/// </summary>
public sealed class DetectionDeadLetters : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> producer;
    private readonly string topic;
    private readonly string rejectedBy;
    private readonly int maxRecordBytes;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long sent;
    private long failed;

    /// <summary>Creates the sink.</summary>
    /// <param name="producer">A raw producer (owned: disposed with this).</param>
    /// <param name="topic">The dead-letter topic.</param>
    /// <param name="rejectedBy">The application id (the <c>chasi-rejected-by</c> header).</param>
    /// <param name="maxRecordBytes">Largest record the topic takes.</param>
    /// <param name="time">Clock of the rejection times.</param>
    /// <param name="logger">Logs each rejection.</param>
    public DetectionDeadLetters(IProducer<byte[]?, byte[]?> producer, string topic, string rejectedBy, int maxRecordBytes, TimeProvider time, ILogger<DetectionDeadLetters> logger)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        this.producer = producer;
        this.topic = topic;
        this.rejectedBy = rejectedBy;
        this.maxRecordBytes = maxRecordBytes;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Dead letters the broker acknowledged.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Dead letters that could not be written (each is logged as an error with its origin).</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>The Streamiz deserialization handler: dead-letter the record and continue.</summary>
    public ExceptionHandlerResponse OnDeserializationError(ProcessorContext context, ConsumeResult<byte[], byte[]> record, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(exception);
        var kind = exception is SchemaMismatchException ? DeadLetterKinds.SchemaVersion : DeadLetterKinds.Deserialize;
        var original = new Message<byte[]?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = record.Message.Headers, Timestamp = record.Message.Timestamp };
        Send(record.Topic, record.Partition.Value, record.Offset.Value, original, kind, exception);
        return ExceptionHandlerResponse.CONTINUE;
    }

    /// <summary>Dead-letters an input the engine rejected.</summary>
    internal void Reject(TopicPartitionOffset origin, string? key, DetectionInput input, Exception exception)
    {
        var original = new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = input.ToByteArray(),
            Timestamp = new Timestamp(time.GetUtcNow().UtcDateTime),
        };
        Send(origin.Topic, origin.Partition.Value, origin.Offset.Value, original, DeadLetterKinds.Handler, exception);
    }

    private void Send(string originTopic, int partition, long offset, Message<byte[]?, byte[]?> original, string kind, Exception exception)
    {
        var letter = DeadLetterRecords.Create(originTopic, partition, offset, original, kind, exception, rejectedBy, "streams", time.GetUtcNow(), 0, maxRecordBytes);
        Log.DeadLettering(logger, originTopic, partition, offset, kind, exception.Message);
        producer.Produce(topic, letter, report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
                Log.DeadLetterFailed(logger, originTopic, partition, offset, report.Error.Reason);
            }
            else
            {
                Interlocked.Increment(ref sent);
            }
        });
    }

    /// <summary>Flushes pending dead letters (up to 10 s) and disposes the producer.</summary>
    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(10));
        producer.Dispose();
    }
}
