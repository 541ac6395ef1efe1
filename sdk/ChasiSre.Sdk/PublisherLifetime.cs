using Microsoft.Extensions.Hosting;

namespace ChasiSre.Sdk;

/// <summary>Starts the publisher with the host and sends what is queued when the host stops.</summary>
internal sealed class PublisherLifetime(BusinessPublisher publisher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => publisher.StopAsync(cancellationToken);
}
