using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Tests;

public sealed class KnowledgeServiceCollectionExtensionsTests(MiniLmFixture miniLm)
{
    [Fact]
    public async Task AddKnowledgeBase_RegisteredGenerator_ProviderOpensOneSharedBase()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(miniLm.Generator);
        services.AddKnowledgeBase();
        await using var provider = services.BuildServiceProvider();

        var knowledgeBaseProvider = provider.GetRequiredService<KnowledgeBaseProvider>();
        var kb = await knowledgeBaseProvider.GetAsync(ct);
        await kb.UpsertAsync(new KnowledgeDocument("a.md", "# A\n\nCordon the node before draining it."), ct);

        Assert.Same(kb, await knowledgeBaseProvider.GetAsync(ct));
        Assert.Equal("a.md#a", Assert.Single(await kb.SearchAsync(new KnowledgeQuery("drain node"), ct)).Chunk.Citation);
    }

    [Fact]
    public void AddKnowledgeBase_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddKnowledgeBase();
        services.AddKnowledgeBase();

        Assert.Single(services, d => d.ServiceType == typeof(KnowledgeBaseProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<KnowledgeBaseOptions>) && d.ImplementationType == typeof(KnowledgeBaseOptionsValidator));
        Assert.Single(services, d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>));
    }

    [Fact]
    public void AddEmbeddingEndpoint_BeforeKnowledgeBase_EndpointGeneratorWins()
    {
        var services = new ServiceCollection();
        services.AddEmbeddingEndpoint().Configure(o =>
        {
            o.Endpoint = new Uri("http://127.0.0.1:11434");
            o.Model = "nomic-embed-text";
            o.Protocol = EmbeddingProtocol.Ollama;
        });
        services.AddKnowledgeBase();
        using var provider = services.BuildServiceProvider();

        var generator = Assert.IsType<HttpEmbeddingGenerator>(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(new Uri("http://127.0.0.1:11434/api/embed"), generator.RequestUri);
    }

    [Fact]
    public void Options_QdrantWithoutEndpoint_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddKnowledgeBase().Configure(o => o.VectorStore = VectorStoreKind.Qdrant);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KnowledgeBaseOptions>>().Value);
        Assert.Contains(KnowledgeBaseOptionsValidator.QdrantEndpointRequired, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Check_OutOfRangeValues_Fails(int maxChunkChars)
    {
        var result = KnowledgeBaseOptionsValidator.Check(new KnowledgeBaseOptions { MaxChunkChars = maxChunkChars });

        Assert.True(result.Failed);
        Assert.Contains(nameof(KnowledgeBaseOptions.MaxChunkChars), result.FailureMessage, StringComparison.Ordinal);
    }
}
