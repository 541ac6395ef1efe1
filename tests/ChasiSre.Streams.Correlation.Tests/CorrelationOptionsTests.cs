using ChasiSre.Streams.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class CorrelationOptionsTests
{
    [Fact]
    public void Constructor_ReopenWindowShorterThanResolveAfter_Throws()
    {
        var options = new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(10), ReopenWindow = TimeSpan.FromMinutes(5) };

        var error = Assert.Throws<OptionsValidationException>(() => new IncidentCorrelator(options));

        Assert.Contains(nameof(CorrelationOptions.ReopenWindow), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MaxSignalsZero_Throws()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new IncidentCorrelator(new CorrelationOptions { MaxSignals = 0 }));

        Assert.Contains(nameof(CorrelationOptions.MaxSignals), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_GroupWaitOverTenMinutes_Throws()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new IncidentCorrelator(new CorrelationOptions { GroupWait = TimeSpan.FromMinutes(11) }));

        Assert.Contains(nameof(CorrelationOptions.GroupWait), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIncidentCorrelation_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddIncidentCorrelation();
        services.AddIncidentCorrelation();

        Assert.Single(services, d => d.ServiceType == typeof(IncidentCorrelator));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<CorrelationOptions>));
    }

    [Fact]
    public async Task AddIncidentCorrelation_InvalidSection_FailsOnStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{CorrelationOptions.SectionName}:ResolveAfter"] = "00:10:00",
            [$"{CorrelationOptions.SectionName}:ReopenWindow"] = "00:01:00",
        });
        builder.Services.AddIncidentCorrelation().BindConfiguration(CorrelationOptions.SectionName);
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AddIncidentCorrelation_BoundSection_CorrelatorUsesIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{CorrelationOptions.SectionName}:ResolveAfter"] = "00:00:00",
        });
        builder.Services.AddIncidentCorrelation().BindConfiguration(CorrelationOptions.SectionName);
        using var host = builder.Build();
        var correlator = host.Services.GetRequiredService<IncidentCorrelator>();
        var state = new InMemoryClusterState(Fleet.T0);
        var pod = state.AddDeployment("team-a", "shop", "checkout", 1).Pods[0];
        correlator.Evaluate(pod, [Fleet.Finding(pod, IncidentCategory.CrashLoop)], state);

        var changes = correlator.Evaluate(pod, [], state);

        Assert.Equal(IncidentChangeKind.Resolved, Assert.Single(changes).Kind);
    }
}
