using ChasiSre.Platform.Inference;

[assembly: AssemblyFixture(typeof(ChasiSre.Diagnosis.Knowledge.Tests.MiniLmFixture))]

namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>The real MiniLM encoder, loaded once for the whole test assembly.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmOptions { IntraOpThreads = 2 });

    public void Dispose() => Generator.Dispose();
}
