using System.Buffers.Binary;
using ChasiSre.TestKit;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class TinyGgufWriterTests(TinyModelFixture model)
{
    [Fact]
    public void WriteToFile_Defaults_WritesGgufV3UnderOneMegabyte()
    {
        var header = new byte[24];
        using (var stream = File.OpenRead(model.ModelPath))
        {
            stream.ReadExactly(header);
        }

        Assert.InRange(model.FileSize, 100_000, 1_000_000);
        Assert.Equal("GGUF"u8.ToArray(), header[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
        Assert.Equal(21ul, BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8))); // 1 + 9 per block * 2 + 2 tensors
    }

    [Fact]
    public void LoadedModel_ReportsWrittenVocabularyAndDimensions()
    {
        Assert.Equal(TinyGgufWriter.VocabularySize, model.Llm.VocabularySize);
        Assert.Equal(64, model.Llm.EmbeddingSize);
        Assert.Equal(512, model.Llm.TrainingContextSize);
        Assert.False(model.Llm.HasChatTemplate);
    }

    [Fact]
    public void Write_SameSeed_IsByteIdentical()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        using var other = new MemoryStream();

        new TinyGgufWriter { Seed = 7 }.Write(first);
        new TinyGgufWriter { Seed = 7 }.Write(second);
        new TinyGgufWriter { Seed = 8 }.Write(other);

        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(first.Length, other.Length);
        Assert.NotEqual(first.ToArray(), other.ToArray());
    }

    [Fact]
    public async Task WriteToFile_GroupedQueryAttentionShape_LoadsAndGenerates()
    {
        using var directory = new TempDirectory();
        string path = directory.File("gqa.gguf");
        new TinyGgufWriter { EmbeddingLength = 32, BlockCount = 1, HeadCount = 4, KeyValueHeadCount = 2, FeedForwardLength = 64, ContextLength = 256, Seed = 3 }.WriteToFile(path);

        using var llm = LocalLlm.Load(new LocalLlmOptions { ModelPath = path, ContextSize = 256, Threads = 1 });
        var completion = await llm.CompleteAsync(new LlmRequest("ping") { MaxTokens = 8 }, TestContext.Current.CancellationToken);

        Assert.Equal(32, llm.EmbeddingSize);
        Assert.Equal(256, llm.TrainingContextSize);
        Assert.InRange(completion.CompletionTokens, 1, 8);
    }

    [Fact]
    public void Write_HeadCountNotDividingEmbedding_Throws()
    {
        using var stream = new MemoryStream();

        Assert.Throws<InvalidOperationException>(() => new TinyGgufWriter { EmbeddingLength = 30, HeadCount = 4 }.Write(stream));
    }
}
