using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>Checks the policy file every <see cref="ExecutorOptions.PolicyReloadInterval"/> (<see cref="ActionPolicySource.Refresh"/>).</summary>
internal sealed class PolicyReloadService(ActionPolicySource policies, IOptions<ExecutorOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PolicyReloadInterval;
        if (policies.File is null || interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            policies.Refresh();
        }
    }
}
