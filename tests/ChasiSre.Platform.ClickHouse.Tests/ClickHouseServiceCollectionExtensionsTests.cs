using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class ClickHouseServiceCollectionExtensionsTests(ChDbFixture chdb)
{
    [Fact]
    public async Task AddClickHouseStore_EmbeddedBackend_ResolvesChDbStoreThatWorks()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddClickHouseStore(o => o.EmbeddedDataPath = chdb.DataPath);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();

        var store = provider.GetRequiredService<IClickHouseStore>();
        var result = await store.QueryAsync("SELECT 40 + 2 AS answer", TestContext.Current.CancellationToken);

        Assert.IsType<ChDbStore>(store);
        Assert.Equal(ClickHouseBackend.Embedded, store.Backend);
        Assert.Equal(42, result[0].Get<int>("answer"));
        Assert.Same(store, provider.GetRequiredService<IClickHouseStore>());
        Assert.NotNull(provider.GetRequiredService<ClickHouseSchemaMigrator>());
    }

    [Fact]
    public void AddClickHouseStore_ServerBackend_ResolvesServerStore()
    {
        var services = new ServiceCollection();
        services.AddClickHouseStore(o =>
        {
            o.Backend = ClickHouseBackend.Server;
            o.ServerConnectionString = "Host=127.0.0.1;Port=1;Protocol=http";
        });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var store = provider.GetRequiredService<IClickHouseStore>();

        Assert.IsType<ClickHouseServerStore>(store);
        Assert.Equal(ClickHouseBackend.Server, store.Backend);
    }

    [Fact]
    public void AddClickHouseStore_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddClickHouseStore();
        services.AddClickHouseStore(o => o.Database = "other");

        Assert.Single(services, d => d.ServiceType == typeof(IClickHouseStore));
        Assert.Single(services, d => d.ServiceType == typeof(ClickHouseSchemaMigrator));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ClickHouseOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal("other", provider.GetRequiredService<IOptions<ClickHouseOptions>>().Value.Database);
    }

    [Theory]
    [InlineData("chasi; DROP DATABASE x", nameof(ClickHouseOptions.Database))]
    [InlineData("", nameof(ClickHouseOptions.Database))]
    public void AddClickHouseStore_InvalidDatabase_FailsOnStart(string database, string member)
    {
        var exception = StartWith(o => o.Database = database);

        Assert.Contains(member, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddClickHouseStore_ServerWithoutConnectionString_FailsOnStart()
    {
        var exception = StartWith(o => o.Backend = ClickHouseBackend.Server);

        Assert.Contains(nameof(ClickHouseOptions.ServerConnectionString), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddClickHouseStore_ZeroBatchSize_FailsOnStart()
    {
        var exception = StartWith(o => o.InsertBatchSize = 0);

        Assert.Contains(nameof(ClickHouseOptions.InsertBatchSize), exception.Message, StringComparison.Ordinal);
    }

    private static OptionsValidationException StartWith(Action<ClickHouseOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddClickHouseStore(configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }
}
