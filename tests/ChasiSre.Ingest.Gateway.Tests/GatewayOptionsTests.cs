using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway.Tests;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new GatewayOptions();
        Assert.True(new GatewayOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new GatewayOptionsRules().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_TimeoutLongerThanTheShortestInterval_Fails()
    {
        var result = new GatewayOptionsRules().Validate(null, new GatewayOptions { CallTimeout = TimeSpan.FromSeconds(10), MinInterval = TimeSpan.FromSeconds(5) });
        Assert.True(result.Failed);
        Assert.Contains("CallTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutOfRangeValues_FailWithTheirNames()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { ClusterName = "Not A Name", Jitter = 0.9, MaxConcurrentPolls = 0 });
        Assert.True(result.Failed);
        Assert.Contains(nameof(GatewayOptions.ClusterName), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(GatewayOptions.Jitter), result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(GatewayOptions.MaxConcurrentPolls), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGateway_InvalidSection_FailsTheHostsStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Gateway:DefaultInterval"] = "00:00:01";
        builder.Configuration["Gateway:MinInterval"] = "00:00:02";
        builder.Configuration["Kafka:BootstrapServers"] = "127.0.0.1:1";
        builder.Services.AddGateway();
        builder.Services.AddGateway();
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(builder.Services, d => d.ImplementationType == typeof(GatewayOptionsRules));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(KafkaClientFactory));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("MinInterval (00:00:02) is longer than DefaultInterval", error.Message, StringComparison.Ordinal);
    }
}
