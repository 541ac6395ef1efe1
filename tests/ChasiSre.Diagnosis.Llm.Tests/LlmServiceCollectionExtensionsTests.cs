using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class LlmServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddChasiLlm_NothingConfigured_DeterministicAnswerMarkedNoLlm()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = Build([]);

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync([new(ChatRole.User, "diagnose")], cancellationToken: ct);

        Assert.IsType<DeterministicChatClient>(client);
        Assert.True(DeterministicChatClient.IsNoLlmConfigured(response));
        Assert.Same(client, provider.GetRequiredKeyedService<IChatClient>(LlmServiceCollectionExtensions.ServiceKey));
    }

    [Fact]
    public async Task AddChasiLlm_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddChasiLlm();
        services.AddChasiLlm();
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(2, provider.GetServices<IValidateOptions<LlmOptions>>().Count());
        Assert.Single(services, d => d.ServiceType == typeof(LlmPipelineFactory));
    }

    [Theory]
    [InlineData("OpenAI", null, null, "Model is required")]
    [InlineData("OpenAI", "gpt-4o-mini", null, "set Endpoint")]
    [InlineData("LlamaSharp", null, null, "ModelPath is required")]
    [InlineData("Ollama", null, "http://ollama:11434", "Model is required")]
    [InlineData("OpenAI", "m", "ftp://x", "absolute http(s) URI")]
    public async Task AddChasiLlm_IncompleteProviderSettings_FailsOnStart(string provider, string? model, string? endpoint, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Diagnosis:Llm:Provider"] = provider,
            ["Diagnosis:Llm:Model"] = model,
            ["Diagnosis:Llm:Endpoint"] = endpoint,
        });
        builder.Services.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddChasiLlm_OutOfRangeTimeout_FailsOnStart()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Diagnosis:Llm:RequestTimeout"] = "00:00:00" });
        builder.Services.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
        return services.BuildServiceProvider();
    }
}
