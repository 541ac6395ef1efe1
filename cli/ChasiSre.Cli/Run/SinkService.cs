using ChasiSre.Platform.ClickHouse;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ChasiSre.Cli.Run;

/// <summary>Migrates the ClickHouse schema before anything reads or writes it, then runs the sink; a sink that stopped
/// on its own fails the host (it is the only writer of the tables), and readiness.</summary>
internal sealed class SinkService(ClickHouseSchemaMigrator migrator, ClickHouseSink sink, IHostApplicationLifetime lifetime) : BackgroundService, IHealthCheck
{
    private volatile bool migrated;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        migrated = true;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sink.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
            throw new InvalidOperationException("the ClickHouse sink stopped on its own");
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(migrated && ExecuteTask is { IsCompleted: false }
            ? HealthCheckResult.Healthy($"sink running, {sink.Handled} records written, {sink.DeadLettered} dead-lettered")
            : HealthCheckResult.Unhealthy(migrated ? "sink stopped" : "schema not migrated yet"));
}
