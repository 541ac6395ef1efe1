[assembly: AssemblyFixture(typeof(ChasiSre.Platform.Inference.Tests.MiniLmFixture))]

namespace ChasiSre.Platform.Inference.Tests;

/// <summary>The MiniLM encoder, loaded once for the whole test assembly.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmOptions { IntraOpThreads = 2 });

    public void Dispose() => Generator.Dispose();
}
