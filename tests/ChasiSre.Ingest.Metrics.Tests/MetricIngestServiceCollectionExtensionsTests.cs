using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class MetricIngestServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMetricIngest_CalledTwice_RegistersOneAgentAndBindsTheSection()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["Ingest:Metrics:ScrapeInterval"] = "00:00:15",
            ["Ingest:Metrics:TenantSeriesLimits:alice"] = "500",
        }).AddMetricIngest().AddMetricIngest().BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MetricsIngestOptions>>().Value;

        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Equal(TimeSpan.FromSeconds(15), options.ScrapeInterval);
        Assert.Equal(500, options.SeriesLimitOf("alice"));
        Assert.Equal(100_000, options.SeriesLimitOf("bob"));
        Assert.Same(provider.GetRequiredService<MetricNormalizer>(), provider.GetRequiredService<MetricPublisher>().Normalizer);
    }

    [Theory]
    [InlineData("Ingest:Metrics:MaxConcurrentScrapes", "0")]
    [InlineData("Ingest:Metrics:ScrapeInterval", "00:00:00")]
    [InlineData("Ingest:Metrics:MaxLineBytes", "10")]
    public void AddMetricIngest_InvalidOption_FailsValidation(string key, string value)
    {
        using var provider = Services(new Dictionary<string, string?> { [key] = value }).AddMetricIngest().BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MetricsIngestOptions>>().Value);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        return services;
    }
}
