using ChasiSre.Streams.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt.Tests;

public sealed class K8sGptInteropOptionsTests
{
    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        var result = new K8sGptInteropOptionsValidator().Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("address")]
    [InlineData("name")]
    [InlineData("cluster")]
    [InlineData("interval")]
    [InlineData("duplicate")]
    [InlineData("backoff")]
    [InlineData("vcluster")]
    public void Validate_InvalidSetting_Fails(string broken)
    {
        var options = Valid();
        var analyzer = options.Analyzers[0];
        switch (broken)
        {
            case "address": analyzer.Address = new Uri("ftp://analyzer:8085"); break;
            case "name": analyzer.Name = "Not A Label"; break;
            case "cluster": analyzer.Cluster = ""; break;
            case "interval": analyzer.Interval = TimeSpan.Zero; break;
            case "duplicate": options.Analyzers.Add(new CustomAnalyzerOptions { Name = analyzer.Name, Address = analyzer.Address, Cluster = "c" }); break;
            case "backoff": options.MaxBackoff = TimeSpan.FromMilliseconds(100); options.MinBackoff = TimeSpan.FromSeconds(1); break;
            case "vcluster": analyzer.HostNamespace = "vc-team-a"; break;
        }

        var result = new K8sGptInteropOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
    }

    [Fact]
    public void Backoff_ConsecutiveFailures_DoublesUpToMax()
    {
        var options = new K8sGptInteropOptions { MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5) };

        Assert.Equal(
            [1, 2, 4, 5, 5],
            Enumerable.Range(1, 4).Append(40).Select(n => options.Backoff(n).TotalSeconds));
    }

    [Fact]
    public void AddK8sGptInterop_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddK8sGptInterop();
        services.AddK8sGptInterop();

        Assert.Single(services, d => d.ServiceType == typeof(CustomAnalyzerPoller));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IDetector) && d.ImplementationType == typeof(K8sGptResultDetector));
        Assert.Single(services, d => d.ServiceType == typeof(ISignalSink));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<K8sGptInteropOptions>));
    }

    [Fact]
    public async Task StartAsync_InvalidAnalyzerInConfiguration_FailsOnStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Streams:K8sGpt:Analyzers:0:Name"] = "disk-check",
            ["Streams:K8sGpt:Analyzers:0:Address"] = "http://127.0.0.1:1",
        });
        builder.Services.AddSingleton<ISignalSink>(new RecordingSink());
        builder.Services.AddK8sGptInterop().BindConfiguration(K8sGptInteropOptions.SectionName);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConfiguredAnalyzer_HostedPollerPublishesToRegisteredSink()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await AnalyzerServer.StartAsync(cancellationToken: ct);
        server.Analyzer.Answer(new Protocol.Result { Kind = "Service", Name = "shop/web", Error = { new Protocol.ErrorDetail { Text = "Service has no endpoints, expected label app=web" } } });
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Streams:K8sGpt:Analyzers:0:Name"] = "svc-check",
            ["Streams:K8sGpt:Analyzers:0:Address"] = server.Address.ToString(),
            ["Streams:K8sGpt:Analyzers:0:Interval"] = "00:10:00",
            ["Streams:K8sGpt:Analyzers:0:Cluster"] = "team-a",
            ["Streams:K8sGpt:Analyzers:0:Tenant"] = "team-a",
            ["Streams:K8sGpt:Analyzers:0:HostCluster"] = "prod-eu1",
            ["Streams:K8sGpt:Analyzers:0:HostNamespace"] = "vc-team-a",
        });
        var sink = new RecordingSink();
        builder.Services.AddSingleton<ISignalSink>(sink);
        builder.Services.AddK8sGptInterop().BindConfiguration(K8sGptInteropOptions.SectionName);
        using var host = builder.Build();

        await host.StartAsync(ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (sink.Signals.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20, ct);
        }

        await host.StopAsync(ct);

        var signal = Assert.Single(sink.Signals);
        Assert.Equal(("team-a", "team-a", Schemas.V1.Layer.Virtual, "prod-eu1", "vc-team-a", "Service", "shop", "web"),
            (signal.Subject.Cluster, signal.Subject.Tenant, signal.Subject.Layer, signal.Subject.HostCluster, signal.Subject.HostNamespace, signal.Subject.Kind, signal.Subject.Namespace, signal.Subject.Name));
        Assert.Equal(("NetworkService", "NoEndpoints"), (signal.Category, signal.Reason));
        Assert.Same(host.Services.GetRequiredService<CustomAnalyzerPoller>(), host.Services.GetServices<IHostedService>().OfType<CustomAnalyzerPoller>().Single());
    }

    private static K8sGptInteropOptions Valid()
    {
        var options = new K8sGptInteropOptions();
        options.Analyzers.Add(new CustomAnalyzerOptions { Name = "disk-check", Address = new Uri("http://analyzer.k8sgpt:8085"), Cluster = "prod-eu1" });
        return options;
    }
}
