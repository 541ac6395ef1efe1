using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

public sealed class KnowledgeSourcesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddPastIncidentIndexer_CalledTwice_RegistersOneIndexerAndOneHostedService()
    {
        var services = new ServiceCollection();

        services.AddPastIncidentIndexer();
        services.AddPastIncidentIndexer();
        services.AddBusinessRunbookConsumer();
        services.AddBusinessRunbookConsumer();

        Assert.Single(services, d => d.ServiceType == typeof(PastIncidentIndexer));
        Assert.Single(services, d => d.ServiceType == typeof(BusinessRunbookConsumer));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IHostedService)));
    }

    [Fact]
    public void AddPastIncidentIndexer_InvalidOptions_FailsOnStart()
    {
        var services = new ServiceCollection();
        services.AddPastIncidentIndexer().Configure(o => o.BatchSize = 0);
        services.AddBusinessRunbookConsumer().Configure(o => o.GroupId = "has space");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.InnerExceptions, e => e is OptionsValidationException v && v.OptionsType == typeof(PastIncidentIndexerOptions));
        Assert.Contains(error.InnerExceptions, e => e is OptionsValidationException v && v.OptionsType == typeof(BusinessRunbookConsumerOptions));
    }
}
