using System.Text;
using ChasiSre.Schemas;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk;

/// <summary>An idempotent Kafka producer (acks=all) with the per-tenant credentials from <see cref="PublisherOptions.Properties"/>.</summary>
internal sealed class KafkaPublisherTransport : IPublisherTransport
{
    private static readonly byte[] VersionBytes = Encoding.UTF8.GetBytes(SchemaVersion.CurrentText);
    private readonly IProducer<string, byte[]> producer;
    private readonly byte[] source;
    private readonly string adapter;
    private readonly ILogger logger;

    public KafkaPublisherTransport(PublisherOptions options, string adapter, ILogger logger)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = "chasi-sdk-" + adapter,
            Acks = Acks.All,
            EnableIdempotence = true,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
            MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds,
            MessageMaxBytes = Math.Max(options.MaxRecordBytes + 64 * 1024, 1_000_000),
        };
        foreach (var (key, value) in options.Properties)
        {
            config.Set(key, value);
        }

        this.adapter = adapter;
        this.logger = logger;
        source = Encoding.UTF8.GetBytes("sdk/" + adapter);
        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => logger.KafkaError(adapter, error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
    }

    public async Task<Exception?> SendAsync(IReadOnlyList<OutgoingRecord> batch, List<OutgoingRecord> failed, CancellationToken cancellationToken)
    {
        var deliveries = new Task<DeliveryResult<string, byte[]>>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i];
            var headers = new Headers
            {
                { RecordHeaders.Schema, Encoding.UTF8.GetBytes(record.Schema) },
                { RecordHeaders.SchemaVersion, VersionBytes },
                { RecordHeaders.Source, source },
            };
            if (record.TraceParent is not null)
            {
                headers.Add(RecordHeaders.TraceParent, Encoding.ASCII.GetBytes(record.TraceParent));
                if (!string.IsNullOrEmpty(record.TraceState))
                {
                    headers.Add(RecordHeaders.TraceState, Encoding.ASCII.GetBytes(record.TraceState));
                }
            }

            deliveries[i] = producer.ProduceAsync(record.Topic, new Message<string, byte[]> { Key = record.Key, Value = record.Value, Headers = headers }, cancellationToken);
        }

        Exception? last = null;
        for (var i = 0; i < deliveries.Length; i++)
        {
            try
            {
                await deliveries[i];
            }
            catch (ProduceException<string, byte[]> ex)
            {
                failed.Add(batch[i]);
                last = ex;
            }
            catch (KafkaException ex)
            {
                failed.Add(batch[i]);
                last = ex;
            }
        }

        return last;
    }

    public void Dispose()
    {
        // Everything was awaited in SendAsync; flush what librdkafka may still hold (a cancelled send).
        try
        {
            var remaining = producer.Flush(TimeSpan.FromSeconds(5));
            if (remaining > 0)
            {
                logger.UndeliveredOnDispose(adapter, remaining);
            }
        }
        finally
        {
            producer.Dispose();
        }
    }
}
