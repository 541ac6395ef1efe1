using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>
/// Diagnoses incidents from <c>chasi.incidents.v1</c> and publishes them on <c>chasi.diagnoses.v1</c> (key: incident
/// id; the ClickHouse sink stores them). One diagnosis per incident and cause, not per revision: a revision that only
/// adds events or pods to what was diagnosed is skipped; a changed category, subject or set of firing detectors is
/// diagnosed again once <see cref="DiagnosisOptions.MinRediagnoseInterval"/> has passed since the last diagnosis.
/// Resolved incidents are not diagnosed. At least once: the offset is stored after the diagnosis is published, so a
/// crash can repeat a diagnosis (the topic is compacted by incident id), never lose one. An evidence store that fails is
/// retried without limit (<see cref="TransientFailureException"/>); an LLM that fails gives the rule-based diagnosis.
/// </summary>
public sealed class DiagnosisConsumer : BackgroundService
{
    private const string Component = TopicCatalog.Components.Diagnosis;

    private readonly KafkaClientFactory kafka;
    private readonly DiagnosisEngine engine;
    private readonly IEvidenceSource evidence;
    private readonly DiagnosisOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Dictionary<string, (string Cause, DateTimeOffset At)> diagnosed = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();
    private long published;
    private long skipped;

    /// <summary>Creates the consumer.</summary>
    public DiagnosisConsumer(KafkaClientFactory kafka, DiagnosisEngine engine, IEvidenceSource evidence, IOptions<DiagnosisOptions> options, TimeProvider? time = null, ILogger<DiagnosisConsumer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        this.kafka = kafka;
        this.engine = engine;
        this.evidence = evidence;
        this.options = options.Value;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<DiagnosisConsumer>.Instance;
    }

    /// <summary>Diagnoses published.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>Incident revisions read and not diagnosed (resolved, already diagnosed, too soon).</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var producer = kafka.CreateProducer<ChasiSre.Schemas.V1.Diagnosis>(Component);
        var consumer = kafka.CreateConsumer<Incident>(Component, options.GroupId, [TopicCatalog.Incidents.Name], (record, ct) => HandleAsync(record, producer, ct));
        logger.ConsumerStarted(TopicCatalog.Incidents.Name, options.GroupId);
        await consumer.RunAsync(stoppingToken);
    }

    private async ValueTask HandleAsync(ConsumedRecord<Incident> record, RecordProducer<ChasiSre.Schemas.V1.Diagnosis> producer, CancellationToken cancellationToken)
    {
        if (record.Value is not { } incident)
        {
            return; // A compaction tombstone.
        }

        var now = time.GetUtcNow();
        var cause = Cause(incident);
        var reason = incident.State == IncidentState.Resolved ? "resolved"
            : diagnosed.TryGetValue(incident.Id, out var last) && last.Cause == cause ? "already diagnosed for this cause"
            : diagnosed.ContainsKey(incident.Id) && now - last.At < options.MinRediagnoseInterval ? "cause changed, diagnosed too recently"
            : null;
        if (reason is not null)
        {
            Interlocked.Increment(ref skipped);
            logger.Skipped(incident.Id, incident.Revision, reason);
            return;
        }

        if (record.Timestamp + options.EvidenceSettle - time.GetUtcNow() is { Ticks: > 0 } settle)
        {
            await Task.Delay(settle, time, cancellationToken);
        }

        EvidenceInputs inputs;
        try
        {
            inputs = await evidence.LoadAsync(incident, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not TransientFailureException)
        {
            // The incident is fine; its evidence store is not. Retry it rather than dead-letter it.
            throw new TransientFailureException($"evidence of incident {incident.Id} could not be loaded", ex);
        }

        var outcome = await engine.DiagnoseAsync(incident, inputs, cancellationToken);
        await producer.ProduceAsync(TopicCatalog.Diagnoses, incident.Id, outcome.Diagnosis, cancellationToken);
        Interlocked.Increment(ref published);
        Remember(incident.Id, cause, now);
    }

    /// <summary>What a diagnosis is about: the category, the subject and the detectors firing.</summary>
    internal static string Cause(Incident incident) => string.Join(
        '|',
        new[] { incident.Category, incident.Subject is { } s ? RecordKeys.ForObject(s) : "" }
            .Concat(incident.Signals.Where(s => s.Active).Select(s => s.Detector).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

    private void Remember(string incidentId, string cause, DateTimeOffset at)
    {
        if (!diagnosed.ContainsKey(incidentId))
        {
            order.Enqueue(incidentId);
            while (order.Count > options.RememberedIncidents)
            {
                diagnosed.Remove(order.Dequeue());
            }
        }

        diagnosed[incidentId] = (cause, at);
    }
}
