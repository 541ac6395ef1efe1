using ChasiSre.Executor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChasiSre.Cli.Run;

/// <summary>The executor is ready once its ledger is rebuilt from <c>chasi.actions.v1</c> and its consumers run.</summary>
internal sealed class ExecutorReadiness(ExecutorService executor, ActionPolicySource policies) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(executor.Ready.Status switch
        {
            TaskStatus.RanToCompletion => HealthCheckResult.Healthy($"ledger rebuilt; policy '{policies.Current.Name}' in force"),
            TaskStatus.Faulted => HealthCheckResult.Unhealthy($"the ledger could not be rebuilt from chasi.actions.v1: {executor.Ready.Exception!.GetBaseException().Message}"),
            _ => HealthCheckResult.Unhealthy("rebuilding the ledger from chasi.actions.v1"),
        });
}
