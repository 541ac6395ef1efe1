using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>Runs <see cref="PastIncidentIndexer"/> every <see cref="PastIncidentIndexerOptions.Interval"/>; a failed run is logged and repeated at the next tick.</summary>
public sealed class PastIncidentIndexerService(
    PastIncidentIndexer indexer,
    KnowledgeBaseProvider knowledge,
    IOptions<PastIncidentIndexerOptions> options,
    TimeProvider? time = null,
    ILogger<PastIncidentIndexerService>? logger = null) : BackgroundService
{
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time ?? TimeProvider.System);
        do
        {
            try
            {
                var kb = await knowledge.GetAsync(stoppingToken).ConfigureAwait(false);
                await indexer.IndexAsync(kb, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (TransientFailureException.IsTransient(ex) || ex is ChasiSre.Platform.ClickHouse.ClickHouseStoreException or IOException))
            {
                // The store or the knowledge base is down: the watermark did not move, the next tick repeats the run.
                log.IncidentIndexingFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
