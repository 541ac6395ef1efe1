using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;

namespace ChasiSre.Executor;

/// <summary>Everything on <c>chasi.actions.v1</c> up to its end offsets when the read began: the audit log the ledger is rebuilt from.</summary>
/// <param name="Records">The records, per partition in offset order (one action's records share a key, so a partition).</param>
/// <param name="EndOffsets">Each partition's end offset at the start of the read: later records are new.</param>
/// <param name="Unreadable">Records that were not an <see cref="ActionRecord"/> (the sink dead-letters them).</param>
public sealed record ActionLog(IReadOnlyList<ActionRecord> Records, IReadOnlyDictionary<int, long> EndOffsets, int Unreadable)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads the whole topic (a dedicated thread: the Kafka client blocks).</summary>
    public static Task<ActionLog> ReadAsync(KafkaClientFactory kafka, string topic, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        return Task.Factory.StartNew(() => Read(kafka, topic, timeout, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static ActionLog Read(KafkaClientFactory kafka, string topic, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var config = new AdminClientConfig(kafka.Options.Properties) { BootstrapServers = kafka.Options.BootstrapServers };
        List<int> partitions;
        using (var admin = new AdminClientBuilder(config).Build())
        {
            var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.Single();
            if (metadata.Error.IsError)
            {
                throw new KafkaException(metadata.Error);
            }

            partitions = [.. metadata.Partitions.Select(p => p.PartitionId).Order()];
        }

        using var consumer = kafka.CreateRawConsumer($"{TopicCatalog.Components.Executor}-ledger", $"{TopicCatalog.Components.Executor}-ledger-unused");
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), MetadataTimeout).High.Value);
        var records = new List<ActionRecord>();
        var unreadable = 0;
        var pending = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(pending.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + timeout;
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{topic} could not be read to its end within {timeout} ({records.Count} records so far)");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not { } message)
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (result.Offset.Value < ends[partition])
            {
                if (Parse(message.Value) is { } record)
                {
                    records.Add(record);
                }
                else
                {
                    unreadable++;
                }
            }

            if (result.Offset.Value + 1 >= ends[partition])
            {
                pending.Remove(partition);
            }
        }

        consumer.Close();
        return new ActionLog(records, ends, unreadable);
    }

    private static ActionRecord? Parse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null; // A tombstone: no action step.
        }

        try
        {
            return ActionRecord.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null; // Counted in Unreadable; the sink dead-letters the same record.
        }
    }
}
