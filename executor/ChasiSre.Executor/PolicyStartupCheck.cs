using Microsoft.Extensions.Hosting;

namespace ChasiSre.Executor;

/// <summary>Resolves the <see cref="ActionPolicySource"/> when the host starts, so an invalid policy file fails the start rather than the first action.</summary>
internal sealed class PolicyStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService(typeof(ActionPolicySource));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
