using ChasiSre.TestKit;

[assembly: AssemblyFixture(typeof(ChasiSre.Diagnosis.Llm.Tests.TinyModelFixture))]

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>The tiny random-weight GGUF (real llama.cpp inference), written once per test assembly into a temp directory.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chasisre-llm-").FullName;

    public TinyModelFixture()
    {
        ModelPath = Path.Combine(_directory, "tiny-llama.gguf");
        new TinyGgufWriter().WriteToFile(ModelPath);
    }

    public string ModelPath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the model may still be mapped by llama.cpp until the process ends.
        }
    }
}
