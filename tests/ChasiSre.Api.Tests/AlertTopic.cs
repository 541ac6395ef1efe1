using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Api.Tests;

/// <summary>Reads <c>chasi.alerts.v1</c> back with a real consumer, from the beginning of every partition.</summary>
internal static class AlertTopic
{
    /// <summary>The records whose signal id is one of <paramref name="ids"/>, waiting (bounded) until all arrived.</summary>
    public static async Task<IReadOnlyList<(string Key, Signal Signal, string Source)>> ReadAsync(ApiFixture fixture, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        return await Task.Run(() => Read(fixture, ids, TimeSpan.FromSeconds(30), cancellationToken), cancellationToken);
    }

    /// <summary>Every record of the topic whose signal id starts with <paramref name="prefix"/>, read to the end.</summary>
    public static async Task<IReadOnlyList<Signal>> ReadAllAsync(ApiFixture fixture, string prefix, CancellationToken cancellationToken)
    {
        return await Task.Run(() => Read(fixture, null, TimeSpan.FromSeconds(5), cancellationToken).Where(r => r.Signal.Id.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Signal).ToList(), cancellationToken);
    }

    private static List<(string Key, Signal Signal, string Source)> Read(ApiFixture fixture, IReadOnlyCollection<string>? ids, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var consumer = fixture.KafkaFactory.CreateRawConsumer("api-tests-reader", $"api-tests-reader-{Guid.NewGuid():N}");
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(TopicCatalog.Alerts.Name, p, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(10)).High.Value);
        var found = new List<(string, Signal, string)>();
        var positions = new Dictionary<int, long>();
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (ids is not null && ids.All(id => found.Any(f => f.Item2.Id == id)))
            {
                break;
            }

            if (ids is null && ends.All(e => positions.GetValueOrDefault(e.Key, 0) >= e.Value))
            {
                break;
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                positions[result.Partition.Value] = result.Offset.Value + 1;
                var signal = Signal.Parser.ParseFrom(result.Message.Value);
                if (ids is null || ids.Contains(signal.Id))
                {
                    var source = result.Message.Headers.TryGetLastBytes(RecordHeaders.Source, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
                    found.Add((Encoding.UTF8.GetString(result.Message.Key ?? []), signal, source));
                }
            }
        }

        consumer.Close();
        return found;
    }
}
