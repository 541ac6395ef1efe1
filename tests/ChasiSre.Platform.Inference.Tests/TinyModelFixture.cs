using ChasiSre.TestKit;

[assembly: AssemblyFixture(typeof(ChasiSre.Platform.Inference.Tests.TinyModelFixture))]

namespace ChasiSre.Platform.Inference.Tests;

/// <summary>The tiny random-weight GGUF, written and loaded once for the whole test assembly.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TinyModelFixture()
    {
        ModelPath = _directory.File("tiny-llama.gguf");
        FileSize = new TinyGgufWriter().WriteToFile(ModelPath);
        Llm = LocalLlm.Load(Options());
    }

    public string ModelPath { get; }

    public long FileSize { get; }

    public LocalLlm Llm { get; }

    /// <summary>Options for the tiny model; 1024 tokens of context leave room for the longest constrained answer.</summary>
    public LocalLlmOptions Options() => new()
    {
        ModelPath = ModelPath,
        ContextSize = 1024,
        Threads = 2,
        MaxTokens = 900,
        Temperature = 0.8f,
    };

    public void Dispose()
    {
        Llm.Dispose();
        _directory.Dispose();
    }
}
