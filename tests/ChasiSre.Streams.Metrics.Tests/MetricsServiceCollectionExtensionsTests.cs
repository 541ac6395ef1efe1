using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics.Tests;

public sealed class MetricsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddMonitors_BoundConfiguration_ResolvesConfiguredSingletons()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Streams:MetricAnomaly:Window"] = "00:01:00",
            ["Streams:MetricAnomaly:MaxSeries"] = "3",
            ["Streams:WorkloadPca:Rank"] = "3",
            ["Streams:BusinessHealth:ErrorBurst"] = "7",
        });
        builder.Services.AddMetricAnomalyMonitor().BindConfiguration(MetricAnomalyOptions.SectionName);
        builder.Services.AddMetricAnomalyMonitor().BindConfiguration(MetricAnomalyOptions.SectionName);
        builder.Services.AddWorkloadPcaMonitor().BindConfiguration(WorkloadPcaOptions.SectionName);
        builder.Services.AddBusinessHealthMonitor().BindConfiguration(BusinessHealthOptions.SectionName);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Single(builder.Services, d => d.ServiceType == typeof(MetricAnomalyMonitor));
        Assert.Same(host.Services.GetRequiredService<MetricAnomalyMonitor>(), host.Services.GetRequiredService<MetricAnomalyMonitor>());
        Assert.Equal(TimeSpan.FromMinutes(1), host.Services.GetRequiredService<IOptions<MetricAnomalyOptions>>().Value.Window);
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<WorkloadPcaOptions>>().Value.Rank);
        Assert.Equal(7, host.Services.GetRequiredService<IOptions<BusinessHealthOptions>>().Value.ErrorBurst);
        Assert.NotNull(host.Services.GetRequiredService<WorkloadPcaMonitor>());
        Assert.NotNull(host.Services.GetRequiredService<BusinessHealthMonitor>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddMetricAnomalyMonitor_InvalidOptions_FailsOnStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Streams:MetricAnomaly:WarmupWindows"] = "20" });
        builder.Services.AddMetricAnomalyMonitor().BindConfiguration(MetricAnomalyOptions.SectionName);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("WarmupWindows", error.Message, StringComparison.Ordinal);
    }
}
