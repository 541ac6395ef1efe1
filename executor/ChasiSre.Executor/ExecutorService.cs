using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>
/// The executor as a hosted service: rebuilds the <see cref="ActionExecutor"/>'s ledger from <c>chasi.actions.v1</c>,
/// then consumes <c>chasi.incidents.v1</c> (from the start on every start: it is a compacted table of incidents),
/// <c>chasi.diagnoses.v1</c> (proposals) and <c>chasi.actions.v1</c> (decisions people publish), and checks verification
/// deadlines every <see cref="ExecutorOptions.DeadlineCheckInterval"/>. Offsets are stored after the executor wrote the
/// resulting records, so a crash repeats work the ledger recognises rather than losing it.
/// </summary>
public sealed class ExecutorService : BackgroundService
{
    private const string Component = TopicCatalog.Components.Executor;
    private static readonly TimeSpan LedgerReadTimeout = TimeSpan.FromMinutes(5);

    private readonly KafkaClientFactory kafka;
    private readonly ActionExecutor executor;
    private readonly ExecutorOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyDictionary<int, long> rebuiltEnds = new Dictionary<int, long>();

    public ExecutorService(KafkaClientFactory kafka, ActionExecutor executor, IOptions<ExecutorOptions> options, TimeProvider? time = null, ILogger<ExecutorService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(options);
        this.kafka = kafka;
        this.executor = executor;
        this.options = options.Value;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ExecutorService>.Instance;
    }

    /// <summary>Completes once the ledger is rebuilt and the consumers start.</summary>
    public Task Ready => ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var log = await ActionLog.ReadAsync(kafka, TopicCatalog.Actions.Name, LedgerReadTimeout, stoppingToken);
            rebuiltEnds = log.EndOffsets;
            await executor.RecoverAsync(log.Records, stoppingToken);
        }
        catch (Exception e)
        {
            ready.TrySetException(e);
            throw;
        }

        var incidents = kafka.CreateConsumer<Incident>(Component, $"{options.GroupId}.incidents.{Guid.NewGuid():N}", [TopicCatalog.Incidents.Name], async (record, ct) =>
        {
            if (record.Value is { } incident)
            {
                await executor.HandleIncidentAsync(incident, ct);
            }
        });
        var diagnoses = kafka.CreateConsumer<Diagnosis>(Component, $"{options.GroupId}.diagnoses", [TopicCatalog.Diagnoses.Name], async (record, ct) =>
        {
            if (record.Value is { } diagnosis)
            {
                await executor.HandleDiagnosisAsync(diagnosis, record.Timestamp, ct);
            }
        });
        var decisions = kafka.CreateConsumer<ActionRecord>(Component, $"{options.GroupId}.actions", [TopicCatalog.Actions.Name], async (record, ct) =>
        {
            if (record.Value is { Sequence: 0 } request)
            {
                // Requests before the rebuilt end were in the log the ledger was folded from: act only on the ones it still lists as unanswered.
                var replayed = rebuiltEnds.TryGetValue(record.Partition, out var end) && record.Offset < end;
                await executor.HandleActionRecordAsync(request, replayed, ct);
            }
        });
        logger.Started(string.Join(", ", TopicCatalog.Incidents.Name, TopicCatalog.Diagnoses.Name, TopicCatalog.Actions.Name), options.GroupId);
        ready.TrySetResult();
        await Task.WhenAll(incidents.RunAsync(stoppingToken), diagnoses.RunAsync(stoppingToken), decisions.RunAsync(stoppingToken), DeadlinesAsync(stoppingToken));
    }

    private async Task DeadlinesAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.DeadlineCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await executor.CheckDeadlinesAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
