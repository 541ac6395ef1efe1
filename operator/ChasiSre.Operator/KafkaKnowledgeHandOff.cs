using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Operator;

/// <summary>
/// Hands KnowledgeSource documents to the knowledge component through the topic every runbook already takes:
/// <c>chasi.business.v1</c>, one <c>BusinessRecord</c> with the <c>runbook</c> case per document, all of one listing with
/// the same <c>at</c>. The knowledge component's <c>BusinessRunbookConsumer</c> indexes each as a Markdown document private
/// to the subject's tenant (source id <c>adapters/&lt;tenant&gt;/knowledgesource.&lt;ns&gt;.&lt;name&gt;/&lt;id&gt;</c>), replaces changed
/// ones and, when a newer listing arrives, removes the documents it no longer contains. So the operator needs neither the
/// knowledge base's volume nor its process, and stages still meet only through the catalog's topics.
/// </summary>
public sealed class KafkaKnowledgeHandOff : IKnowledgeHandOff, IDisposable
{
    public const string Component = "operator";

    private readonly RecordProducer<BusinessRecord> _producer;

    public KafkaKnowledgeHandOff(KafkaClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _producer = factory.CreateProducer<BusinessRecord>(Component);
    }

    /// <summary>The records of a batch, in order (exposed for tests and dry runs).</summary>
    public static IReadOnlyList<(string Key, BusinessRecord Record)> Records(KnowledgeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var subject = new ObjectRef
        {
            Cluster = batch.Cluster,
            HostCluster = batch.Cluster,
            Tenant = batch.Tenant,
            Layer = Layer.Business,
            ApiVersion = ChasiResources.ApiVersion,
            Kind = ChasiResources.KnowledgeSourceKind,
            Namespace = batch.Namespace,
            Name = batch.Source,
        };
        var key = RecordKeys.ForObject(subject);
        var at = Timestamp.FromDateTimeOffset(batch.At);
        return batch.Documents.Select(d =>
        {
            var runbook = new Runbook { Id = d.Id, Title = d.Title, Body = d.Body };
            runbook.Tags.AddRange(batch.Tags);
            return (key, new BusinessRecord
            {
                Adapter = batch.Adapter,
                Subject = subject,
                At = at,
                Id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{key}\0runbook\0{d.Id}\0{d.Title}\0{d.Body}")))[..32],
                Runbook = runbook,
            });
        }).ToList();
    }

    /// <inheritdoc />
    public async Task PublishAsync(KnowledgeBatch batch, CancellationToken cancellationToken = default)
    {
        var deliveries = Records(batch).Select(r => _producer.ProduceAsync(TopicCatalog.Business, r.Key, r.Record, cancellationToken)).ToList();
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    public void Dispose() => _producer.Dispose();
}
