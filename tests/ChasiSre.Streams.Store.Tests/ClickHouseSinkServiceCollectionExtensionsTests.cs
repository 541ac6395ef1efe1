using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Store.Tests;

public sealed class ClickHouseSinkServiceCollectionExtensionsTests(ChDbFixture chdb)
{
    [Fact]
    public async Task AddClickHouseSink_CalledTwice_RegistersOneSinkThatResolves()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new KafkaClientFactory(Options.Create(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        services.AddClickHouseStore(o => o.EmbeddedDataPath = chdb.DataPath);
        services.AddClickHouseSink();
        services.AddClickHouseSink(o => o.MaxBatchRows = 500);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Single(services, d => d.ServiceType == typeof(ClickHouseSink));
        Assert.Same(provider.GetRequiredService<ClickHouseSink>(), provider.GetRequiredService<ClickHouseSink>());
        Assert.Equal(500, provider.GetRequiredService<IOptions<ClickHouseSinkOptions>>().Value.MaxBatchRows);
    }

    [Fact]
    public async Task AddClickHouseSink_ZeroBatchRows_FailsValidationOnStart()
    {
        var services = new ServiceCollection();
        services.AddClickHouseSink(o => o.MaxBatchRows = 0);
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(ClickHouseSinkOptions.MaxBatchRows), exception.Message, StringComparison.Ordinal);
    }
}
