using ChasiSre.Platform.Kafka;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.Pipeline;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Run;

/// <summary>Runs the Streamiz detection topology on the catalog topics for the life of the host; ready while it runs.</summary>
internal sealed class DetectionService(
    KafkaClientFactory kafka,
    IOptions<StreamsOptions> streams,
    IOptions<CorrelationOptions> correlation,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IHealthCheck, IAsyncDisposable
{
    private DetectionApplication? application;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var runtime = new DetectionRuntime(streams.Value, correlation.Value, time, DetectorCatalog.Incidents, new DetectionProgress(), loggerFactory);
        application = await DetectionApplication.StartAsync(kafka, runtime, DetectionTopics.Catalog, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(application is { IsRunning: true }
            ? HealthCheckResult.Healthy("detection topology running")
            : HealthCheckResult.Unhealthy("detection topology not running"));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref application, null) is { } running)
        {
            await running.DisposeAsync();
        }
    }
}
