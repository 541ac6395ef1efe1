using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class InferenceServiceCollectionExtensionsTests(TinyModelFixture model)
{
    [Fact]
    public async Task AddLocalLlm_Configured_ResolvesOneSharedChatClient()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddLocalLlm().Configure(o =>
        {
            o.ModelPath = model.ModelPath;
            o.ContextSize = 1024;
            o.Threads = 1;
        });
        services.AddLocalLlm();
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("ping", new ChatOptions { MaxOutputTokens = 3 }, TestContext.Current.CancellationToken);

        Assert.IsType<LocalLlmChatClient>(client);
        Assert.Same(provider.GetRequiredService<LocalLlm>(), client.GetService<LocalLlm>());
        Assert.Single(services, d => d.ServiceType == typeof(IChatClient));
        Assert.NotNull(response.Text);
    }

    [Fact]
    public async Task AddLocalLlm_MissingModelPath_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddLocalLlm();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LocalLlmOptions>>().Value);

        Assert.Contains(nameof(LocalLlmOptions.ModelPath), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMiniLmEmbeddings_InvalidBatchSize_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddMiniLmEmbeddings().Configure(o => o.BatchSize = 0);
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MiniLmOptions>>().Value);

        Assert.Contains(nameof(MiniLmOptions.BatchSize), ex.Message, StringComparison.Ordinal);
        Assert.Single(services, d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>));
    }
}
