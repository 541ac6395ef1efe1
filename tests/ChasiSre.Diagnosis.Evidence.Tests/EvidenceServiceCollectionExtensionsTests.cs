using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Evidence.Tests;

public sealed class EvidenceServiceCollectionExtensionsTests(SinkWrittenStore store)
{
    [Fact]
    public async Task AddEvidence_CalledTwice_RegistersOneBuilderAndOneSourceThatWork()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddClickHouseStore(o =>
        {
            o.EmbeddedDataPath = store.DataPath;
            o.Database = store.Database;
        });
        services.AddEvidencePackBuilder();
        services.AddEvidencePackBuilder(o => o.MaxTokens = 900);
        services.AddClickHouseEvidenceSource();
        services.AddClickHouseEvidenceSource(o => o.MaxObjects = 3);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Single(services, d => d.ServiceType == typeof(EvidencePackBuilder));
        Assert.Single(services, d => d.ServiceType == typeof(IEvidenceSource));
        var builder = provider.GetRequiredService<EvidencePackBuilder>();
        Assert.Same(builder, provider.GetRequiredService<EvidencePackBuilder>());
        var incident = store.Incident();
        var inputs = await provider.GetRequiredService<IEvidenceSource>().LoadAsync(incident, TestContext.Current.CancellationToken);
        Assert.Equal(3, inputs.Objects.Count);
        Assert.Equal(900, builder.Build(incident, inputs).Budget);
    }

    [Fact]
    public async Task AddEvidencePackBuilder_BudgetBelowMinimum_FailsValidationOnStart()
    {
        var services = new ServiceCollection();
        services.AddEvidencePackBuilder(o => o.MaxTokens = 10);
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(EvidencePackOptions.MaxTokens), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClickHouseEvidenceSource_NegativeWindow_FailsValidationOnStart()
    {
        var services = new ServiceCollection();
        services.AddClickHouseEvidenceSource(o => o.WindowBefore = TimeSpan.FromMinutes(-5));
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(ClickHouseEvidenceSourceOptions.WindowBefore), exception.Message, StringComparison.Ordinal);
    }
}
