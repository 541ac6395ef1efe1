using Microsoft.Extensions.AI;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture miniLm)
{
    [Fact]
    public async Task GenerateAsync_OomSentence_CloserToMemoryKillThanToInvoice()
    {
        var embeddings = await miniLm.Generator.GenerateAsync(
            [
                "the pod was OOMKilled because its memory limit is too low",
                "container exceeded memory limit and was killed",
                "the invoice total was paid by credit card",
            ],
            cancellationToken: TestContext.Current.CancellationToken);

        float related = EmbeddingSimilarity.Cosine(embeddings[0], embeddings[1]);
        float unrelated = EmbeddingSimilarity.Cosine(embeddings[0], embeddings[2]);

        Assert.True(related > unrelated + 0.2f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public async Task GenerateAsync_Vectors_Have384DimensionsAndUnitNorm()
    {
        var embeddings = await miniLm.Generator.GenerateAsync(["kubelet evicted the pod", "node NotReady", ""], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, e.Dimensions);
            double norm = Math.Sqrt(e.Vector.ToArray().Sum(x => (double)x * x));
            Assert.InRange(norm, 0.999, 1.001);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, e.ModelId);
        });
    }

    [Fact]
    public async Task GenerateAsync_MoreInputsThanOneBatch_KeepsOrder()
    {
        var sentences = Enumerable.Range(0, 70).Select(i => $"deployment api-{i} rollout stalled").ToArray();

        var all = await miniLm.Generator.GenerateAsync(sentences, cancellationToken: TestContext.Current.CancellationToken);
        var single = await miniLm.Generator.GenerateAsync([sentences[65]], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(70, all.Count);
        Assert.InRange(EmbeddingSimilarity.Cosine(all[65], single[0]), 0.9999f, 1.0001f);
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsRequested_NotSupported()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            miniLm.Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 768 }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void GetService_Metadata_Reports384Dimensions()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = miniLm.Generator;

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
    }

    [Fact]
    public void Cosine_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingSimilarity.Cosine([1f, 0f], [1f, 0f, 0f]));
    }
}
