using ChasiSre.Diagnosis.Knowledge;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Run;

/// <summary>
/// Indexes the runbook directories (<c>Diagnosis:Knowledge:Runbooks</c>, shared with every tenant) into the knowledge
/// base in the background at start; unchanged documents are skipped by the base, so a restart costs a hash per file.
/// Ready once indexed. A file that fails is logged with its reason and the others go on.
/// </summary>
internal sealed partial class RunbookIndexService(KnowledgeBaseProvider knowledge, IReadOnlyList<string> paths, ILogger<RunbookIndexService> logger) : BackgroundService, IHealthCheck
{
    private volatile string? state;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var kb = await knowledge.GetAsync(stoppingToken);
        var report = await kb.AddPathsAsync(paths, cancellationToken: stoppingToken);
        foreach (var failed in report.Results.Where(r => r.Outcome == IngestOutcome.Failed))
        {
            LogFailed(logger, failed.Source, failed.Reason ?? "");
        }

        var done = $"{report.Results.Count} runbook files indexed from {string.Join(", ", paths)}";
        state = done;
        LogIndexed(logger, done);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state is { } done ? HealthCheckResult.Healthy(done) : HealthCheckResult.Degraded("indexing runbooks"));

    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, Message = "Runbook {Source} was not indexed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Knowledge: {Indexed}")]
    private static partial void LogIndexed(ILogger logger, string indexed);
}
