using System.Text;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Api.Tests;

/// <summary>Reads <c>chasi.actions.v1</c> back with a real consumer, from the beginning of every partition, to its end.</summary>
internal static class ActionTopic
{
    /// <summary>The records keyed <paramref name="actionId"/> with the phase <paramref name="phase"/>, read to the topic's end as it is now.</summary>
    public static Task<IReadOnlyList<(string Key, ActionRecord Record)>> ReadAsync(KafkaClientFactory kafka, string actionId, ActionPhase phase, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<(string, ActionRecord)>>(() => Read(kafka, actionId, phase, cancellationToken), cancellationToken);

    private static List<(string, ActionRecord)> Read(KafkaClientFactory kafka, string actionId, ActionPhase phase, CancellationToken cancellationToken)
    {
        using var consumer = kafka.CreateRawConsumer("api-tests-reader", $"api-tests-reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(TopicCatalog.Actions.Name, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(10)).High.Value);
        var positions = new Dictionary<int, long>();
        var found = new List<(string, ActionRecord)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested && !ends.All(e => positions.GetValueOrDefault(e.Key, 0) >= e.Value))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                positions[result.Partition.Value] = result.Offset.Value + 1;
                var key = Encoding.UTF8.GetString(result.Message.Key ?? []);
                var record = ActionRecord.Parser.ParseFrom(result.Message.Value);
                if (key == actionId && record.Phase == phase)
                {
                    found.Add((key, record));
                }
            }
        }

        consumer.Close();
        Assert.True(ends.All(e => positions.GetValueOrDefault(e.Key, 0) >= e.Value), "chasi.actions.v1 was not read to its end within 30 s");
        return found;
    }
}
