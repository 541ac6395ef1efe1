using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using Confluent.Kafka;

namespace ChasiSre.Safety.Tests;

/// <summary>Reads <c>chasi.diagnoses.v1</c> from the beginning, every partition assigned, handing out what it has not handed out before.</summary>
internal sealed class DiagnosisReader : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly IConsumer<byte[]?, byte[]?> consumer;

    public DiagnosisReader(KafkaClientFactory kafka)
    {
        consumer = kafka.CreateRawConsumer("safety-reader", $"safety-reader-{Guid.NewGuid():N}");
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Options.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(TopicCatalog.Diagnoses.Name, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(TopicCatalog.Diagnoses.Name, p.PartitionId, Offset.Beginning)));
    }

    /// <summary>The next <paramref name="count"/> diagnoses (key: incident id).</summary>
    public IReadOnlyList<(string IncidentId, ChasiSre.Schemas.V1.Diagnosis Diagnosis)> ReadNew(int count, CancellationToken cancellationToken)
    {
        var read = new List<(string, ChasiSre.Schemas.V1.Diagnosis)>();
        var deadline = DateTime.UtcNow + Patience;
        while (read.Count < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"read {read.Count} of {count} diagnoses within {Patience.TotalSeconds:0}s");
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(100))?.Message is { Key: { } key, Value: { } value })
            {
                read.Add((System.Text.Encoding.UTF8.GetString(key), ChasiSre.Schemas.V1.Diagnosis.Parser.ParseFrom(value)));
            }
        }

        return read;
    }

    public void Dispose()
    {
        consumer.Close();
        consumer.Dispose();
    }
}
